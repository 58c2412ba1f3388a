package io.gatehouse.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits an ended span to the {@link io.opentelemetry.sdk.trace.export.BatchSpanProcessor} behind it only while
 * fewer than {@code queue_size} spans wait for export, and counts the others as dropped. The batch processor drops
 * a span silently when its own queue is full; this one never lets it fill, so that every drop is counted. Called on
 * the event loops: a counter and a queue offer, never a wait.
 */
final class BoundedSpanProcessor implements SpanProcessor {
    private final SpanProcessor batch;
    private final AtomicInteger pending;
    private final int queueSize;
    private final TracingCounters counters;

    /** @param pending given back by the {@link CountingSpanExporter} as batches complete */
    BoundedSpanProcessor(SpanProcessor batch, AtomicInteger pending, int queueSize, TracingCounters counters) {
        this.batch = batch;
        this.pending = pending;
        this.queueSize = queueSize;
        this.counters = counters;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) { }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        if (!span.getSpanContext().isSampled()) {
            return;
        }
        if (pending.incrementAndGet() > queueSize) {
            pending.decrementAndGet();
            counters.dropped().increment();
            return;
        }
        batch.onEnd(span);
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return batch.forceFlush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return batch.shutdown();
    }
}
