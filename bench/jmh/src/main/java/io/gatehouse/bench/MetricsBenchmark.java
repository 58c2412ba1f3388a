package io.gatehouse.bench;

import io.gatehouse.config.MetricsConfig;
import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.RequestContext;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.metrics.RouteMeters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * The per-request metrics path, and a Prometheus scrape of 100 routes' meters. {@code record} is what a finished
 * request costs: {@code RouteMeters.record} (latency histogram, request counter) with the upstream timer and the
 * in-flight gauge, with metrics {@code on}, {@code off} ({@code metrics.enabled: false}), and {@code exemplar} (on,
 * the request's trace sampled, so its trace id is offered to the histograms' exemplar samplers).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsBenchmark {

    @State(Scope.Thread)
    public static class HotRoute {
        @Param({"on", "off", "exemplar"})
        String mode;
        GatewayMetrics metrics;
        RouteMeters meters;
        io.micrometer.core.instrument.Timer upstream;
        RequestContext request;

        @Setup
        public void setUp() {
            metrics = GatewayMetrics.of(new MetricsConfig(!"off".equals(mode)));
            meters = metrics.forRoute("hot");
            upstream = metrics.upstreamTimer("pool");
            request = new RequestContext(new ClientPeer(InetAddress.getLoopbackAddress(), "127.0.0.1", false),
                    "GET", "/hot/1", "0af7651916cd43dd8448eb211c80319c");
            if ("exemplar".equals(mode)) {
                request.trace("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true);
            }
            request.upstreamRequestSent();
            request.upstreamHeadersReceived();
            request.finish(200);
            meters.record(request, 200); // the GET/2xx counter exists before measurement
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            metrics.close();
        }
    }

    @State(Scope.Thread)
    public static class HundredRoutes {
        GatewayMetrics metrics;

        @Setup
        public void setUp() {
            metrics = new GatewayMetrics();
            ClientPeer peer = new ClientPeer(InetAddress.getLoopbackAddress(), "127.0.0.1", false);
            for (int r = 0; r < 100; r++) {
                RouteMeters meters = metrics.forRoute("route-" + r);
                for (String method : new String[] {"GET", "POST", "GET"}) {
                    RequestContext request = new RequestContext(peer, method, "/", "id");
                    request.finish(200);
                    meters.record(request, "POST".equals(method) ? 201 : 200);
                }
                RequestContext missing = new RequestContext(peer, "GET", "/", "id");
                missing.finish(404);
                meters.record(missing, 404);
            }
        }
    }

    @Benchmark
    public void record(HotRoute state) {
        state.metrics.requestStarted();
        state.metrics.recordUpstream(state.upstream, state.request);
        state.metrics.requestFinished();
        state.meters.record(state.request, 200);
    }

    @Benchmark
    public String scrape(HundredRoutes state) {
        return state.metrics.scrape();
    }
}
