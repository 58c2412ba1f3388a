package io.gatehouse.config;

import java.util.List;

/**
 * A route's own security settings.
 *
 * @param auth    the methods that must all pass; {@code null} means {@code auth.default}
 * @param roles   any one of these is required (from the API key or the token); empty requires none
 * @param cors    replaces the global {@code cors:} for this route; {@code null} keeps the global one
 * @param ipRules    checked after the global {@code ip_rules}
 * @param rateLimits ids of the rate-limit policies that apply; {@code null} means {@code rate_limit.default}
 */
public record RouteSecurity(List<AuthMethod> auth, List<String> roles, CorsConfig cors, IpRules ipRules,
                            List<String> rateLimits) {
    public static final RouteSecurity INHERIT = new RouteSecurity(null, List.of(), null, IpRules.NONE, null);

    public RouteSecurity {
        auth = auth == null ? null : List.copyOf(auth);
        roles = List.copyOf(roles);
        rateLimits = rateLimits == null ? null : List.copyOf(rateLimits);
    }
}
