package io.gatehouse.security;

import io.gatehouse.context.Rejection;
import java.util.concurrent.CompletableFuture;

/** What the security chain says of a request. */
public sealed interface Admission {
    record Admitted(Principal principal) implements Admission {}

    record Refused(Rejection rejection) implements Admission {}

    /** Signing keys are being fetched: ask again once {@code ready} completes, whichever way. */
    record Waiting(CompletableFuture<?> ready) implements Admission {}
}
