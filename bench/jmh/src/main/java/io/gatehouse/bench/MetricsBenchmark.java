package io.gatehouse.bench;

import io.gatehouse.metrics.GatewayMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** Recording one request on a hot route's meters, and a Prometheus scrape of 100 routes' meters. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsBenchmark {

    @State(Scope.Thread)
    public static class HotRoute {
        io.gatehouse.metrics.RouteMeters meters;

        @Setup
        public void setUp() {
            meters = new GatewayMetrics().forRoute("hot");
            meters.record("GET", 200, 1_000_000, false); // the GET/2xx counter exists before measurement
        }
    }

    @State(Scope.Thread)
    public static class HundredRoutes {
        GatewayMetrics metrics;

        @Setup
        public void setUp() {
            metrics = new GatewayMetrics();
            for (int r = 0; r < 100; r++) {
                io.gatehouse.metrics.RouteMeters meters = metrics.forRoute("route-" + r);
                meters.record("GET", 200, 3_000_000L + r, false);
                meters.record("POST", 201, 40_000_000L + r, false);
                meters.record("GET", 404, 500_000L + r, false);
            }
        }
    }

    @Benchmark
    public void record(HotRoute state) {
        state.meters.record("GET", 200, 1_234_567, false);
    }

    @Benchmark
    public String scrape(HundredRoutes state) {
        return state.metrics.scrape();
    }
}
