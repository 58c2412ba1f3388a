package io.gatehouse.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the admin requests waiting for the reload thread (validations, reloads, edits): each holds its body and a
 * place in the reloader's queue, so a flood of them would grow both without end. Over the bound: 503 {@code busy}.
 */
final class ReloadGate {
    /** Reloads take milliseconds; more than this many waiting means a client is hammering the API. */
    static final int MAX_WAITING = 8;

    private final AtomicInteger waiting = new AtomicInteger();

    <T> CompletionStage<T> submit(Supplier<CompletableFuture<T>> work) {
        if (waiting.incrementAndGet() > MAX_WAITING) {
            waiting.decrementAndGet();
            throw new AdminException(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy",
                    "too many config changes are waiting; try again shortly");
        }
        try {
            return work.get().whenComplete((result, failure) -> waiting.decrementAndGet());
        } catch (RuntimeException e) {
            waiting.decrementAndGet();
            throw e;
        }
    }
}
