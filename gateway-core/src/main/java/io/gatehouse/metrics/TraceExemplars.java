package io.gatehouse.metrics;

import io.gatehouse.context.RequestContext;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.FastThreadLocal;
import io.prometheus.metrics.tracer.common.SpanContext;

import java.util.concurrent.TimeUnit;

/**
 * The trace of the request whose latency is being recorded, as the registry's exemplar sampler asks for it: a latency
 * histogram's exemplar is the trace id of a sampled request it counted. {@link #record} puts the request in a slot of
 * the recording thread (an event loop) for the length of one {@link Timer#record}, during which the sampler, on the
 * same thread, reads it; there is no current trace at any other time. Requests without a sampled trace (tracing off,
 * or not sampled) only cost a boolean check, and leave no exemplar.
 */
final class TraceExemplars implements SpanContext {
    private final FastThreadLocal<RequestContext> recording = new FastThreadLocal<>();

    /** Records {@code nanos} into {@code timer}, with {@code request}'s trace as the exemplar if it is sampled. */
    void record(Timer timer, long nanos, RequestContext request) {
        if (!request.traceSampled()) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
            return;
        }
        recording.set(request);
        try {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        } finally {
            recording.set(null); // not remove(): the slot stays allocated for the next sampled request
        }
    }

    @Override
    public String getCurrentTraceId() {
        RequestContext request = recording.get();
        return request == null ? null : request.traceId();
    }

    @Override
    public String getCurrentSpanId() {
        RequestContext request = recording.get();
        return request == null ? null : request.spanId();
    }

    @Override
    public boolean isCurrentSpanSampled() {
        return recording.get() != null;
    }

    @Override
    public void markCurrentSpanAsExemplar() {
        // The gateway's spans are sampled before they are recorded; nothing to force.
    }
}
