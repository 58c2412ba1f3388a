package io.gatehouse.config;

import java.util.List;

/** Binds {@code auth:}: the accepted credentials and the methods routes need by default. */
final class AuthSection {
    private static final List<String> KEYS = List.of("default", "api_keys", "jwt", "mtls");

    private AuthSection() {}

    static AuthConfig bind(Node auth) {
        if (!auth.expectMap(KEYS)) {
            return AuthConfig.NONE;
        }
        AuthConfig credentials = new AuthConfig(List.of(), ApiKeysSection.bind(auth.get("api_keys")),
                JwtSection.bind(auth.get("jwt")), MtlsSection.bind(auth.get("mtls")));
        Node defaults = auth.get("default");
        if (!defaults.isPresent()) {
            // Fail closed: leaving it out must not quietly make every route public.
            defaults.missing("the methods every route needs unless it says otherwise, such as [api_key];"
                    + " [] makes routes public by default");
            return credentials;
        }
        List<AuthMethod> methods = AuthMethods.bind(defaults, credentials);
        return new AuthConfig(methods, credentials.apiKeys(), credentials.jwt(), credentials.mtls());
    }
}
