package io.gatehouse.proxy.exchange;

import io.gatehouse.pool.ExchangeSlot;
import io.gatehouse.pool.StreamNotProcessedException;
import io.gatehouse.proxy.RouteTarget;

/**
 * The one retry of an attempt outside its route's retry policy, on the same backend, when its slot ended before a
 * response head in a way that says nothing against the backend: a pooled connection that had gone stale (only a
 * request that may be sent twice), or an HTTP/2 stream the backend never processed (any request: RFC 9113 §8.7).
 * Either needs the body sent so far to be replayable. One per exchange.
 */
final class SlotRetry {
    private boolean used;

    /**
     * Whether the request body is kept for a resend after it was sent: for a method sent twice anyway, and on an
     * HTTP/2 pool, where a never-processed stream is resent whatever its method.
     */
    static boolean keepsBody(boolean resendable, RouteTarget target) {
        return resendable || target.pool().config().protocol().multiplexed();
    }

    /** Whether to resend on a new slot, after {@code closed} ended with {@code cause}; true at most once. */
    boolean take(ExchangeSlot closed, Throwable cause, boolean resendable, BodyReplay replay) {
        if (used || !replay.canReplay()) {
            return false;
        }
        used = cause instanceof StreamNotProcessedException || closed != null && closed.isReused() && resendable;
        return used;
    }
}
