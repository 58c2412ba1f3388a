package io.gatehouse.bench;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.TracingConfig;
import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.RequestContext;
import io.gatehouse.tracing.AttemptSpan;
import io.gatehouse.tracing.GatewayTracing;
import io.gatehouse.tracing.RequestSpan;
import io.gatehouse.tracing.TracingCounters;
import io.gatehouse.upstream.Backend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
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
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tracing work of one proxied request with one attempt, as the event loop does it: the SERVER span started from
 * a request head with a {@code traceparent}, named after its route, a CLIENT span injected into the upstream headers,
 * both ended. {@code sampling}: {@code sampled} (ratio 1: attributes recorded, spans queued for export) or
 * {@code unsampled} (ratio 0: ids only). The exporter discards what it is given, so what the batch thread allocates
 * turning spans into export data counts too, but no network I/O.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TracingBenchmark {

    @State(Scope.Thread)
    public static class Request {
        @Param({"sampled", "unsampled"})
        public String sampling;

        GatewayTracing tracing;
        HttpRequest head;
        HttpHeaders upstream;
        RequestContext context;
        Backend backend;
        InetSocketAddress backendAddress;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            double ratio = "sampled".equals(sampling) ? 1.0 : 0.0;
            TracingConfig config = new TracingConfig(true, URI.create("http://127.0.0.1:4318"),
                    TracingConfig.OtlpProtocol.HTTP_PROTOBUF, Duration.ofSeconds(10), 2048, false, ratio,
                    List.of(TracingConfig.Propagator.TRACECONTEXT, TracingConfig.Propagator.BAGGAGE), "bench");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            tracing = GatewayTracing.start(config, new TracingCounters(Counter.builder("e").register(registry),
                    Counter.builder("f").register(registry), Counter.builder("d").register(registry)), new Discard());
            head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/users/7?page=2");
            head.headers().set("host", "api.example.com").set("user-agent", "bench/1.0")
                    .set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            upstream = new DefaultHttpHeaders();
            upstream.add(head.headers());
            InetAddress loopback = InetAddress.getLoopbackAddress();
            context = new RequestContext(new ClientPeer(loopback, loopback.getHostAddress(), false), "GET", "/users/7?page=2",
                    "5f0c6d2e8a4b4c1d9e7f3a2b1c0d9e8f");
            backend = new Backend(new BackendConfig("http://10.0.0.7:8080", "10.0.0.7", 8080, 1));
            backendAddress = new InetSocketAddress(InetAddress.getByName("10.0.0.7"), 8080);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tracing.shutdown(Duration.ofSeconds(5));
        }
    }

    @Benchmark
    public String request(Request r) {
        RequestSpan span = r.tracing.startRequest(r.head, r.context, false);
        span.routed("users", "/users/7", "api.example.com");
        AttemptSpan attempt = span.attempt(r.backend, 0, r.upstream);
        attempt.connected(r.backendAddress);
        attempt.responded(200);
        attempt.end();
        r.context.finish(200);
        span.end(r.context, false);
        return r.context.traceId();
    }

    /** Accepts every batch at once and keeps nothing. */
    static final class Discard implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
