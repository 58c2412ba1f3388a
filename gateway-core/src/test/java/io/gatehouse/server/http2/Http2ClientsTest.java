package io.gatehouse.server.http2;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import io.gatehouse.testing.TlsClients;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP/2 through the gateway with real clients, to a real backend: OkHttp over TLS (ALPN h2) and with prior
 * knowledge (h2c), {@code curl --http2} and {@code --http2-prior-knowledge}, and {@code h2load} with many concurrent
 * streams on few connections. Each request is routed and proxied, and logged and counted as HTTP/2.
 */
class Http2ClientsTest {
    private static final TestPki.Authority CA = TestPki.authority("H2 Clients CA");

    @TempDir
    Path dir;
    private MockWebServer backend;
    private TestGateway gateway;
    private Path caFile;

    @BeforeEach
    void setUp() throws IOException {
        backend = new MockWebServer();
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).addHeader("X-Backend", "mock")
                        .body("hello " + request.getTarget()).build();
            }
        });
        backend.start(0);
        TestPki.Files cert = CA.server("api.test").writeTo(dir, "api");
        caFile = CA.writeTo(dir.resolve("ca.pem"));
        gateway = TestGateway.start("""
                server:
                  tls:
                    port: 0
                    certificates: [{cert: %s, key: %s}]
                pools:
                  # Below MockWebServer's accept backlog (50): h2load's 80 concurrent streams wait for a connection
                  # instead of their connects overflowing it.
                  mock: {backends: ["http://127.0.0.1:%d"], max_connections: 32}
                routes:
                  - id: r
                    match: {path_prefix: /}
                    pool: mock
                """.formatted(cert.cert(), cert.key(), backend.getPort()));
    }

    @AfterEach
    void tearDown() {
        gateway.close();
        backend.close();
    }

    private static OkHttpClient okHttp(List<Protocol> protocols) {
        return TlsClients.okHttp(CA.certificate(), null, protocols);
    }

    @Test
    void okHttpOverTlsNegotiatesH2AndIsProxied() throws Exception {
        OkHttpClient client = okHttp(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
        Request request = new Request.Builder().url("https://api.test:" + gateway.tlsPort() + "/tls?q=1")
                .header("X-Request-ID", "h2-tls-request").build();
        try (Response response = client.newCall(request).execute()) {
            assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("X-Backend")).isEqualTo("mock");
            assertThat(response.header("X-Request-ID")).isEqualTo("h2-tls-request");
            assertThat(response.body().string()).isEqualTo("hello /tls?q=1");
        }
        JsonNode line = gateway.accessLogLine("h2-tls-request");
        assertThat(line.get("protocol").asText()).isEqualTo("HTTP/2");
        assertThat(line.get("route").asText()).isEqualTo("r");
        RecordedRequest forwarded = backend.takeRequest(5, TimeUnit.SECONDS);
        assertThat(forwarded.getHeaders().get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(forwarded.getHeaders().names()).noneMatch(name -> name.toLowerCase().startsWith("x-http2-"));
        // counted when the gateway's last write completes, which may be just after the client has it
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                gateway.metric("gatehouse_requests_total", "route=\"r\"", "protocol=\"HTTP/2\"")).isEqualTo(1));
    }

    @Test
    void okHttpWithPriorKnowledgeOnThePlainPort() throws Exception {
        OkHttpClient client = okHttp(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
        for (int i = 0; i < 3; i++) {
            try (Response response = client.newCall(new Request.Builder()
                    .url("http://127.0.0.1:" + gateway.port() + "/h2c/" + i).build()).execute()) {
                assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
                assertThat(response.body().string()).isEqualTo("hello /h2c/" + i);
            }
        }
        assertThat(client.connectionPool().connectionCount()).isEqualTo(1); // three streams on one connection
        // counted when the gateway's last write completes, which may be just after the client has it
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                gateway.metric("gatehouse_requests_total", "route=\"r\"", "protocol=\"HTTP/2\"")).isEqualTo(3));
        assertThat(gateway.metric("gatehouse_requests_total", "protocol=\"HTTP/1.1\"")).isNaN();
    }

    @Test
    void curlHttp2OverTls() throws Exception {
        int port = gateway.tlsPort();
        String out = run("curl", "-sS", "--http2", "--cacert", caFile.toString(),
                "--resolve", "api.test:" + port + ":127.0.0.1", "-w", "\n%{http_version} %{http_code}",
                "https://api.test:" + port + "/curl");

        assertThat(out).isEqualTo("hello /curl\n2 200");
    }

    @Test
    void curlHttp2PriorKnowledge() throws Exception {
        String out = run("curl", "-sS", "--http2-prior-knowledge", "-w", "\n%{http_version} %{http_code}",
                "http://127.0.0.1:" + gateway.port() + "/curl-h2c");

        assertThat(out).isEqualTo("hello /curl-h2c\n2 200");
    }

    @Test
    void h2loadManyConcurrentStreamsAllSucceed() throws Exception {
        String out = run("h2load", "-c", "8", "-m", "10", "-n", "2000",
                "http://127.0.0.1:" + gateway.port() + "/load");

        assertThat(out).contains("2000 succeeded, 0 failed, 0 errored, 0 timeout");
        assertThat(out).contains("status codes: 2000 2xx");
        // counted when the gateway's last write completes, which may be just after the client has it
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                gateway.metric("gatehouse_requests_total", "route=\"r\"", "protocol=\"HTTP/2\"")).isEqualTo(2000));
    }

    /** Runs a client program to its end (at most 60 s) and returns its output; it must exit with 0. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as("%s ended; output:%n%s", command[0], out).isTrue();
        assertThat(process.exitValue()).as("%s exit status; output:%n%s", command[0], out).isZero();
        return out;
    }
}
