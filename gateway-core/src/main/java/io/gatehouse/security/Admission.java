package io.gatehouse.security;

import io.gatehouse.context.Rejection;
import java.util.concurrent.CompletableFuture;

/** What the security chain says of a request. */
public sealed interface Admission {
    /**
     * @param rateLimit the tightest rate-limit position, for the response headers; null when no policy applies
     * @param release   to run once when the request finishes (it holds a place in the route's bulkhead); or null
     */
    record Admitted(Principal principal, RateLimitStatus rateLimit, Runnable release) implements Admission {
        public Admitted(Principal principal) {
            this(principal, null, null);
        }
    }

    record Refused(Rejection rejection) implements Admission {}

    /** Signing keys are being fetched: ask again once {@code ready} completes, whichever way. */
    record Waiting(CompletableFuture<?> ready) implements Admission {}
}
