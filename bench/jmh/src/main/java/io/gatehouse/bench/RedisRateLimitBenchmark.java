package io.gatehouse.bench;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.security.Admission;
import io.gatehouse.security.AdmissionProgress;
import io.gatehouse.security.EdgeSecurity;
import io.gatehouse.security.RoutePolicy;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Redis-backed rate-limit check as one request sees it: the chain asks Redis (one compare-and-swap round trip
 * through Lettuce), waits, and runs again with the answer. {@code local} is the same policy kept in process.
 * Starts its own {@code redis-server} (it must be on the PATH) on a free port.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class RedisRateLimitBenchmark {
    private Process redis;
    private ScheduledExecutorService scheduler;
    private EdgeSecurity redisSecurity;
    private EdgeSecurity localSecurity;
    private RoutePolicy shared;
    private RoutePolicy local;
    private final AdmissionProgress progress = new AdmissionProgress();
    private final HttpHeaders request = new DefaultHttpHeaders().set("Host", "api.example.com");
    private InetAddress client;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; ; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                break;
            } catch (java.io.IOException notYet) {
                if (i > 200) {
                    throw notYet;
                }
                Thread.sleep(25);
            }
        }
        scheduler = Executors.newSingleThreadScheduledExecutor();
        String policies = """
                  policies: [{id: per-ip, key: client_ip, limit: 1000000000, period: 1s}]
                routes:
                  - {id: r, match: {path_prefix: /}, upstream: "http://127.0.0.1:9", rate_limit: [per-ip]}
                """;
        redisSecurity = security("rate_limit:\n  backend: redis\n  redis: {uri: \"redis://127.0.0.1:" + port
                + "\", timeout: 1s, on_error: deny}\n" + policies);
        localSecurity = security("rate_limit:\n" + policies);
        shared = redisSecurity.policy("r");
        local = localSecurity.policy("r");
        client = InetAddress.getByName("192.0.2.10");
        for (int i = 0; i < 500 && !(check(shared) instanceof Admission.Admitted); i++) {
            Thread.sleep(10); // until Lettuce has connected
        }
        if (!(check(shared) instanceof Admission.Admitted)) {
            throw new IllegalStateException("Redis-backed check does not admit");
        }
    }

    private EdgeSecurity security(String yaml) {
        GatewayConfig config = ConfigLoader.parse(yaml, Map.of());
        EdgeSecurity security = new EdgeSecurity(config, new GatewayMetrics(), scheduler);
        security.start();
        return security;
    }

    private Admission check(RoutePolicy policy) {
        progress.reset();
        Admission admission = policy.admit(request, client, null, progress);
        if (admission instanceof Admission.Waiting waiting) {
            waiting.ready().exceptionally(e -> null).join();
            admission = policy.admit(request, client, null, progress);
        }
        return admission;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        redisSecurity.close();
        localSecurity.close();
        scheduler.shutdownNow();
        redis.destroy();
        redis.waitFor(5, TimeUnit.SECONDS);
    }

    @Benchmark
    public Object redis() {
        return check(shared);
    }

    @Benchmark
    public Object local() {
        return check(local);
    }
}
