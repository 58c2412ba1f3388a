package io.gatehouse.security;

import io.github.bucket4j.ConsumptionProbe;

import java.util.concurrent.CompletableFuture;

/**
 * Where one request's run through the chain stands when a step had to wait (signing keys being fetched, a
 * shared rate-limit bucket in Redis), so the next run picks up there instead of taking tokens again. One per
 * connection, reset for each request; touched only on the connection's event loop.
 */
public final class AdmissionProgress {
    private boolean keysRefreshed;
    private final int[] nextLimiter = new int[2];
    private CompletableFuture<ConsumptionProbe> pending;
    private int pendingGroup = -1;
    private int pendingIndex = -1;
    private RateLimitStatus status;

    /** A new request. */
    public void reset() {
        keysRefreshed = false;
        nextLimiter[0] = 0;
        nextLimiter[1] = 0;
        pending = null;
        pendingGroup = -1;
        pendingIndex = -1;
        status = null;
    }

    /** The signing keys were fetched once for this request: a key still missing now is refused. */
    public void keysRefreshed() {
        keysRefreshed = true;
    }

    boolean areKeysRefreshed() {
        return keysRefreshed;
    }

    int nextLimiter(int group) {
        return nextLimiter[group];
    }

    void limiterDone(int group, int index) {
        nextLimiter[group] = index + 1;
    }

    void waitFor(int group, int index, CompletableFuture<ConsumptionProbe> probe) {
        pending = probe;
        pendingGroup = group;
        pendingIndex = index;
    }

    /** The answer already asked for limiter {@code index} of {@code group}, or null. */
    CompletableFuture<ConsumptionProbe> takePending(int group, int index) {
        if (pendingGroup != group || pendingIndex != index) {
            return null;
        }
        CompletableFuture<ConsumptionProbe> probe = pending;
        pending = null;
        pendingGroup = -1;
        pendingIndex = -1;
        return probe;
    }

    RateLimitStatus status() {
        return status;
    }

    void tighten(RateLimitStatus candidate) {
        if (status == null || candidate.remaining() < status.remaining()) {
            status = candidate;
        }
    }
}
