package io.gatehouse.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The JVM's and the process's meters (memory pools, GC pauses, threads, class loading, CPU, open file descriptors,
 * uptime) and those of the Netty allocator every channel of the gateway uses ({@link ByteBufAllocator#DEFAULT}: the
 * adaptive allocator in Netty 4.2, or the pooled one with {@code -Dio.netty.allocator.type=pooled}), bound to one
 * gateway's registry. Each gateway binds its own, so two gateways in one JVM do not share meters;
 * {@link #close} removes the GC notification listener.
 */
final class JvmMeters implements AutoCloseable {
    /** Binds them and returns the GC meters (whose notification listener {@link #close} removes). */
    private final FutureTask<JvmGcMetrics> binding;

    /**
     * Starts binding them on a thread of their own: most of it is interpreted code run once (about a tenth of a start's
     * main-thread CPU), which runs beside the rest of the gateway's start; {@link #awaitBound} before serving.
     */
    JvmMeters(MeterRegistry registry) {
        binding = new FutureTask<>(() -> bind(registry));
        Thread thread = new Thread(binding, "gatehouse-jvm-meters");
        thread.setDaemon(true);
        thread.start();
    }

    private static JvmGcMetrics bind(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(registry);
        }
        return gc;
    }

    /** Returns once every meter is bound; throws what binding threw. */
    void awaitBound() throws InterruptedException {
        try {
            binding.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("binding the JVM meters failed", e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            binding.get().close();
        } catch (ExecutionException e) {
            // nothing was left to stop: binding failed, and the start with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
