package io.gatehouse.security;

import io.gatehouse.context.Rejection;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A route's bulkhead: at most {@code max} of its requests in flight at once, across all event loops. A request
 * over the bound is refused at once with 503; nothing queues, so a slow backend cannot pile up work.
 */
final class RouteBulkhead implements Runnable {
    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter rejections;
    private final Rejection full;

    RouteBulkhead(String routeId, int max, Counter rejections) {
        this.max = max;
        this.rejections = rejections;
        this.full = Rejection.of(HttpResponseStatus.SERVICE_UNAVAILABLE, "bulkhead_full",
                "route " + routeId + " already has " + max + " requests in flight").withHeader(
                HttpHeaderNames.RETRY_AFTER, 1);
    }

    /** Takes a place, or returns the refusal (counted) when all are taken. */
    Rejection tryEnter() {
        int now;
        do {
            now = inFlight.get();
            if (now >= max) {
                rejections.increment();
                return full;
            }
        } while (!inFlight.compareAndSet(now, now + 1));
        return null;
    }

    /** Gives the place back; run once when the request that took it finishes. */
    @Override
    public void run() {
        inFlight.decrementAndGet();
    }
}
