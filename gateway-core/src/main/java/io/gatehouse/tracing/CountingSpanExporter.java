package io.gatehouse.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts each batch as exported or failed once its export completes, and gives its spans' places in the queue back
 * ({@link BoundedSpanProcessor}). Runs on the batch processor's thread and the sender's.
 */
final class CountingSpanExporter implements SpanExporter {
    private final SpanExporter delegate;
    private final TracingCounters counters;
    private final AtomicInteger pending;
    private final boolean shared;

    /**
     * @param pending spans handed to the batch processor and not yet through an export
     * @param shared  the exporter outlives this tracing configuration (a test's): shutting down only flushes it
     */
    CountingSpanExporter(SpanExporter delegate, TracingCounters counters, AtomicInteger pending, boolean shared) {
        this.delegate = delegate;
        this.counters = counters;
        this.pending = pending;
        this.shared = shared;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        int size = spans.size();
        CompletableResultCode result;
        try {
            result = delegate.export(spans);
        } catch (RuntimeException e) {
            result = CompletableResultCode.ofFailure();
        }
        CompletableResultCode done = result;
        done.whenComplete(() -> {
            pending.addAndGet(-size);
            (done.isSuccess() ? counters.exported() : counters.failed()).increment(size);
        });
        return done;
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return shared ? delegate.flush() : delegate.shutdown();
    }
}
