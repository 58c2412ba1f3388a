package io.gatehouse.security;

import io.gatehouse.context.Rejection;
import java.util.concurrent.CompletableFuture;

/** What the security chain says of a request. */
public sealed interface Admission {
    /** @param rateLimit the tightest rate-limit position, for the response headers; null when no policy applies */
    record Admitted(Principal principal, RateLimitStatus rateLimit) implements Admission {
        public Admitted(Principal principal) {
            this(principal, null);
        }
    }

    record Refused(Rejection rejection) implements Admission {}

    /** Signing keys are being fetched: ask again once {@code ready} completes, whichever way. */
    record Waiting(CompletableFuture<?> ready) implements Admission {}
}
