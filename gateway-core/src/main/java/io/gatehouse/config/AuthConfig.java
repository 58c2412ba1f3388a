package io.gatehouse.config;

import java.util.List;

/**
 * {@code auth:}, the credentials the gateway accepts.
 *
 * @param defaultMethods what a route that says nothing requires; empty means public
 * @param apiKeys        {@code auth.api_keys}, or {@code null} when not configured
 * @param jwt            {@code auth.jwt}, or {@code null} when not configured
 * @param mtls           {@code auth.mtls}, or {@code null} when not configured
 */
public record AuthConfig(List<AuthMethod> defaultMethods, ApiKeysConfig apiKeys, JwtConfig jwt, MtlsConfig mtls) {
    public static final AuthConfig NONE = new AuthConfig(List.of(), null, null, null);

    public AuthConfig {
        defaultMethods = List.copyOf(defaultMethods);
    }
}
