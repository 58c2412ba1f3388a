package io.gatehouse.config;

import java.util.List;

/**
 * A route's own security settings.
 *
 * @param auth    the methods that must all pass; {@code null} means {@code auth.default}
 * @param roles   any one of these is required (from the API key or the token); empty requires none
 * @param cors    replaces the global {@code cors:} for this route; {@code null} keeps the global one
 * @param ipRules checked after the global {@code ip_rules}
 */
public record RouteSecurity(List<AuthMethod> auth, List<String> roles, CorsConfig cors, IpRules ipRules) {
    public static final RouteSecurity INHERIT = new RouteSecurity(null, List.of(), null, IpRules.NONE);

    public RouteSecurity {
        auth = auth == null ? null : List.copyOf(auth);
        roles = List.copyOf(roles);
    }
}
