package io.gatehouse.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.server.GatewayServer;
import io.gatehouse.server.StartOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole per-request path of the gateway, as bench/run.sh drives it but in one JVM: a real gateway
 * ({@link GatewayServer}, one event loop) started from the harness's own config file, in front of a Netty backend
 * on loopback ({@link ChainBackend}), driven by one keep-alive client ({@link ChainClient}) with one request in
 * flight. One operation is one {@code GET /small} answered 200 through the gateway: HTTP decoding, routing, the
 * security chain, the pooled upstream exchange, metrics, the access log and encoding.
 * <ul>
 *   <li>{@code config=routing}: bench/gatehouse-bench.yml (one route, one pool);
 *       {@code config=full}: bench/gatehouse-full.yml (plus request ID, API key and a per-IP rate limit); the client
 *       sends the API key in both.</li>
 *   <li>{@code accessLog=off|on}: the {@code gatehouse.access} switch; when on, every line is formatted and written
 *       by the access-log thread to a stream that discards it.</li>
 * </ul>
 * The time per operation includes the client, the backend and loopback TCP, and is noisy on a shared machine;
 * the figures to compare are the gateway's allocation per request ({@code gw.alloc.norm} of
 * {@link GatewayThreadsProfiler}, or {@code -prof gc}'s {@code gc.alloc.rate.norm} for the whole JVM) and its CPU
 * time per request ({@code gw.cpu.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms256m", "-Xmx256m"})
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class ChainBenchmark {
    static final String API_KEY = "bench-key-0123456789abcdef0123456789";
    private static final String REQUEST = "GET /small HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: chain-benchmark\r\n"
            + "Accept: */*\r\nX-API-Key: " + API_KEY + "\r\n\r\n";

    @Param({"routing", "full"})
    public String config;

    @Param({"off", "on"})
    public String accessLog;

    private ChainBackend backend;
    private GatewayServer gateway;
    private ChainClient client;

    @Setup
    public void start() throws Exception {
        ((Logger) LoggerFactory.getLogger("gatehouse.access")).setLevel("on".equals(accessLog) ? Level.INFO : Level.OFF);
        backend = new ChainBackend();
        String file = "full".equals(config) ? "gatehouse-full.yml" : "gatehouse-bench.yml";
        GatewayConfig parsed = ConfigLoader.parse(resource(file),
                Map.of("GATEWAY_PORT", "0", "BENCH_BACKEND_PORT", Integer.toString(backend.port())));
        gateway = GatewayServer.start(parsed, StartOptions.defaults().threads(1).accessLogOut(OutputStream.nullOutputStream()));
        client = new ChainClient(gateway.port(), REQUEST);
        int length = client.exchange();
        if (length != ChainBackend.SMALL_JSON.length()) {
            throw new IllegalStateException("expected the backend's " + ChainBackend.SMALL_JSON.length()
                    + "-byte body through the gateway, got " + length + " bytes");
        }
    }

    @Benchmark
    public int request() throws IOException {
        return client.exchange();
    }

    @TearDown
    public void stop() throws IOException {
        client.close();
        GatewayThreadsProfiler.beforeGatewayStops();
        gateway.shutdown(Duration.ofSeconds(1));
        backend.close();
    }

    /** The harness's config files, packed into the benchmarks jar from bench/ (see pom.xml). */
    private static String resource(String name) {
        try (InputStream in = ChainBenchmark.class.getResourceAsStream("/bench-config/" + name)) {
            if (in == null) {
                throw new IllegalStateException("bench-config/" + name + " is not in the benchmarks jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
