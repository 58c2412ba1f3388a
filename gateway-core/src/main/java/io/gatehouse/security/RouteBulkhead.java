package io.gatehouse.security;

import io.gatehouse.context.Rejection;
import io.gatehouse.resilience.Bulkhead;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;

/**
 * A route's bulkhead: at most {@code max} of its requests in flight at once, across all event loops. A request
 * over the bound is refused at once with 503; nothing queues, so a slow backend cannot pile up work.
 */
final class RouteBulkhead implements AdmissionStep, Runnable {
    private final int max;
    private final Bulkhead bulkhead;
    private final Counter rejections;
    private final Admission refused;

    RouteBulkhead(int max, Counter rejections) {
        this.max = max;
        this.bulkhead = new Bulkhead(max);
        this.rejections = rejections;
        // Like every refusal, it names no route or limit: those are the operator's, not the client's.
        this.refused = new Admission.Refused(Rejection.of(HttpResponseStatus.SERVICE_UNAVAILABLE, "bulkhead_full",
                "the route has as many requests in flight as it may take; try again shortly").withHeader(
                HttpHeaderNames.RETRY_AFTER, 1));
    }

    /** The bound it was built with: a reload keeps the bulkhead (and its count in flight) only when unchanged. */
    int max() {
        return max;
    }

    /**
     * Takes a place, or refuses (counted) when all are taken. Last in the chain: nothing after it may refuse the
     * request and keep its place.
     */
    @Override
    public Admission check(HttpHeaders headers, InetAddress client, String rawQuery, AdmissionProgress progress) {
        if (bulkhead.tryEnter()) {
            return null;
        }
        rejections.increment();
        return refused;
    }

    /** Gives the place back; run once when the request that took it finishes. */
    @Override
    public void run() {
        bulkhead.leave();
    }
}
