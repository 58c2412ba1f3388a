package io.gatehouse.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -prof io.gatehouse.bench.GatewayThreadsProfiler}: for {@link ChainBenchmark}, the bytes allocated
 * ({@code gw.alloc.norm}) and the CPU time ({@code gw.cpu.norm}) per operation of the in-process gateway's own
 * threads only: its event loop and its {@code gatehouse-*} threads (the access-log writer...), not the client
 * (the JMH worker) nor the backend ({@code bench-backend-*}). {@code -prof gc}'s {@code gc.alloc.rate.norm} counts
 * every thread of the JVM.
 */
public final class GatewayThreadsProfiler implements InternalProfiler {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The gateway's threads as a tear-down saw them just before stopping it (see {@link #beforeGatewayStops}). */
    private static volatile Map<Long, long[]> lastSeen;

    private Map<Long, long[]> before = Map.of();

    /**
     * For a benchmark's tear-down, just before it stops the gateway: JMH runs a trial's tear-down before the
     * profilers' end of its last iteration, when the gateway's threads are gone; this keeps their counts.
     */
    static void beforeGatewayStops() {
        lastSeen = gatewayThreads();
    }

    @Override
    public String getDescription() {
        return "bytes allocated and CPU time per operation of the gateway's threads";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        lastSeen = null;
        before = gatewayThreads();
    }

    @Override
    public List<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                    IterationResult result) {
        long bytes = 0;
        long cpu = 0;
        Map<Long, long[]> after = lastSeen != null ? lastSeen : gatewayThreads();
        for (Map.Entry<Long, long[]> thread : after.entrySet()) {
            long[] start = before.getOrDefault(thread.getKey(), new long[2]);
            bytes += thread.getValue()[0] - start[0];
            cpu += thread.getValue()[1] - start[1];
        }
        double ops = Math.max(result.getMetadata().getAllOps(), 1);
        return List.of(new ScalarResult("gw.alloc.norm", bytes / ops, "B/op", AggregationPolicy.AVG),
                new ScalarResult("gw.cpu.norm", cpu / ops, "ns/op", AggregationPolicy.AVG));
    }

    /** Allocated bytes and CPU nanoseconds so far of each live gateway thread, by thread id. */
    private static Map<Long, long[]> gatewayThreads() {
        Map<Long, long[]> threads = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.startsWith("multiThreadIoEventLoopGroup") || name.startsWith("gatehouse-")) {
                long id = thread.getId();
                threads.put(id, new long[] {THREADS.getThreadAllocatedBytes(id), THREADS.getThreadCpuTime(id)});
            }
        }
        return threads;
    }
}
