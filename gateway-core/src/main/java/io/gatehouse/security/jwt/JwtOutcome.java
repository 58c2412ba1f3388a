package io.gatehouse.security.jwt;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What {@link JwtAuthenticator#verify} made of a bearer token. */
public sealed interface JwtOutcome {
    /**
     * The token is authentic and its claims hold.
     *
     * @param subject the {@code sub} claim, or {@code null}
     * @param roles   the roles found at the configured roles claim; empty if none
     * @param headers the configured forwarded claims as (header, value), in config order, only claims that are
     *                present and whose values are safe to put in a header
     */
    record Verified(String subject, List<String> roles, List<Map.Entry<String, String>> headers)
            implements JwtOutcome {
        public Verified {
            roles = List.copyOf(roles);
            headers = List.copyOf(headers);
        }
    }

    /**
     * The token is refused.
     *
     * @param message safe to show the client: it names at most the token's algorithm, never echoes its contents
     */
    record Rejected(String message) implements JwtOutcome {
    }

    /**
     * The token names a signing key the gateway has not seen and a JWKS fetch is under way. When
     * {@code keysRefreshed} completes (normally or exceptionally), verify the token again: the answer is then
     * {@link Verified} or {@link Rejected}, never {@code Pending} for the same key within {@code jwks_min_refresh}.
     * The future is shared by all callers waiting for the same fetch and completes on a JWKS client thread, so
     * continue on the channel's event loop, and never complete it yourself.
     */
    record Pending(CompletableFuture<?> keysRefreshed) implements JwtOutcome {
    }
}
