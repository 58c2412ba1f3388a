package io.gatehouse.server.http2;

import io.gatehouse.config.ConfigException;
import io.gatehouse.testing.H2FrameClient;
import io.gatehouse.testing.H2FrameClient.Data;
import io.gatehouse.testing.H2FrameClient.GoAway;
import io.gatehouse.testing.H2FrameClient.Headers;
import io.gatehouse.testing.H2FrameClient.Reset;
import io.gatehouse.testing.H2FrameClient.Settings;
import io.gatehouse.testing.H2FrameClient.WindowUpdate;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static io.gatehouse.testing.MockBackends.received;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * HTTP/2 from clients at the connection level, end to end with a frame-level client ({@link H2FrameClient}): h2c
 * with prior knowledge and h2 by ALPN, the SETTINGS and connection window of {@code server.http2}, the refusal of
 * streams over {@code max_concurrent_streams} and of header lists over {@code max_header_list_size}, Rapid Reset
 * and CONTINUATION floods cut off while the gateway serves others, the idle timeout, the graceful GOAWAY of a
 * shutdown and of a reload, and {@code Upgrade: h2c} served as plain HTTP/1.1.
 */
class Http2ConnectionTest {
    private static final TestPki.Authority CA = TestPki.authority("H2 Test CA");

    @TempDir
    Path dir;
    private MockWebServer backend;

    @BeforeEach
    void setUp() throws IOException {
        backend = new MockWebServer();
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).body("ok").build();
            }
        });
        backend.start(0);
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    private String config(String serverExtra) {
        return """
                server:
                %s
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: http://127.0.0.1:%d
                """.formatted(serverExtra.indent(2), backend.getPort());
    }

    private HttpResponse<String> http11Get(TestGateway gateway) throws Exception {
        return gateway.get("/served");
    }

    /** The status of the response on {@code streamId}, waiting for its head. */
    private static String status(H2FrameClient client, int streamId) {
        return client.await(Headers.class, h -> h.streamId() == streamId).headers().status().toString();
    }

    @Test
    void priorKnowledgeGetsTheConfiguredSettingsAndConnectionWindow() {
        try (TestGateway gateway = TestGateway.start(config("http2: {max_concurrent_streams: 50}"));
             H2FrameClient client = H2FrameClient.connect(gateway.port())) {
            Settings settings = client.await(Settings.class);
            assertThat(settings.settings().maxConcurrentStreams()).isEqualTo(50);
            assertThat(settings.settings().initialWindowSize()).isEqualTo(64 * 1024);
            assertThat(settings.settings().maxHeaderListSize()).isEqualTo(16 * 1024); // server.limits.max_header_bytes
            // The connection window is raised to (at least) what all streams' windows hold: 50 x 64 KiB.
            assertThat(client.await(WindowUpdate.class, update -> update.streamId() == 0).increment())
                    .isGreaterThanOrEqualTo(50 * 64 * 1024 - 65_535);

            client.headers(1, H2FrameClient.get("/x"), true);

            assertThat(status(client, 1)).isEqualTo("200");
        }
    }

    @Test
    void h2ByAlpnOnTheTlsListener() throws Exception {
        TestPki.Files cert = CA.server("api.test").writeTo(dir, "api");
        String tls = """
                tls:
                  port: 0
                  certificates: [{cert: %s, key: %s}]
                """.formatted(cert.cert(), cert.key());
        SslContext clientTls = SslContextBuilder.forClient().trustManager(CA.certificate())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2", "http/1.1"))
                .build();
        try (TestGateway gateway = TestGateway.start(config(tls));
             H2FrameClient client = H2FrameClient.connect(gateway.tlsPort(), clientTls)) {
            assertThat(client.await(Settings.class).settings().maxConcurrentStreams()).isEqualTo(100);

            client.headers(1, H2FrameClient.get("/x"), true);

            assertThat(status(client, 1)).isEqualTo("200");
            assertThat(http11Get(gateway).statusCode()).isEqualTo(200); // the plain port still speaks HTTP/1.1
        }
    }

    @Test
    void resetsOverTheRateEndTheConnectionWithEnhanceYourCalm() {
        try (TestGateway gateway = TestGateway.start(config("http2: {max_rst_frames_per_second: 50}"));
             H2FrameClient attacker = H2FrameClient.connect(gateway.port())) {
            attacker.await(Settings.class);

            attacker.openAndReset(1, 60);

            GoAway goAway = attacker.await(GoAway.class);
            assertThat(goAway.errorCode()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
            attacker.awaitClosed();
        }
    }

    @Test
    void aRapidResetFloodIsCutOffWhileOtherClientsAreServed() throws Exception {
        try (TestGateway gateway = TestGateway.start(config(""));
             H2FrameClient attacker = H2FrameClient.connect(gateway.port())) {
            attacker.await(Settings.class);
            CompletableFuture<Void> flood = CompletableFuture.runAsync(
                    () -> attacker.rapidResetUntilClosed(Duration.ofSeconds(20)));

            assertThat(http11Get(gateway).statusCode()).isEqualTo(200); // during the flood

            attacker.awaitClosed();
            flood.join();
            assertThat(http11Get(gateway).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void smallContinuationFramesOverTheCapEndTheConnection() {
        try (TestGateway gateway = TestGateway.start(config("http2: {max_small_continuation_frames: 8}"));
             H2FrameClient attacker = H2FrameClient.connect(gateway.port())) {
            attacker.await(Settings.class);

            attacker.continuation(1, 9, 1);

            assertThat(attacker.await(GoAway.class).errorCode()).isNotEqualTo(Http2Error.NO_ERROR.code());
            attacker.awaitClosed();
        }
    }

    @Test
    void anEndlessContinuationFloodIsCutOffWhileOtherClientsAreServed() throws Exception {
        try (TestGateway gateway = TestGateway.start(config(""));
             H2FrameClient attacker = H2FrameClient.connect(gateway.port())) {
            attacker.await(Settings.class);
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> attacker.continuation(1, 1_000_000, 1));

            assertThat(http11Get(gateway).statusCode()).isEqualTo(200); // during the flood

            attacker.awaitClosed();
            flood.join();
            assertThat(http11Get(gateway).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void largeContinuationFramesAreCutOffAtTheHeaderListSize() throws Exception {
        try (TestGateway gateway = TestGateway.start(config("http2: {max_header_list_size: 4KiB}"));
             H2FrameClient attacker = H2FrameClient.connect(gateway.port())) {
            attacker.await(Settings.class);

            attacker.continuation(1, 3, 2_000); // 6 KB: past the 5 KiB (limit + 1/4) where a head is not even read

            assertThat(attacker.await(GoAway.class).errorCode()).isNotEqualTo(Http2Error.NO_ERROR.code());
            attacker.awaitClosed();
            assertThat(http11Get(gateway).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void streamsOverTheConcurrentLimitAreRefusedWhileTheFirstContinue() {
        try (TestGateway gateway = TestGateway.start(config("http2: {max_concurrent_streams: 3}"));
             H2FrameClient client = H2FrameClient.connect(gateway.port())) {
            client.await(Settings.class);
            for (int stream = 1; stream <= 5; stream += 2) {
                client.headers(stream, H2FrameClient.post("/slow"), false); // open: the request has not ended
            }

            client.headers(7, H2FrameClient.get("/x"), true);

            assertThat(client.await(Reset.class).streamId()).isEqualTo(7);
            assertThat(client.await(Reset.class).errorCode()).isEqualTo(Http2Error.REFUSED_STREAM.code());
            client.data(1, "body", true);
            assertThat(status(client, 1)).isEqualTo("200");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void aHeaderListOverTheLimitIsRefusedWith431() {
        try (TestGateway gateway = TestGateway.start(config("http2: {max_header_list_size: 1KiB}"));
             H2FrameClient client = H2FrameClient.connect(gateway.port())) {
            client.await(Settings.class);

            client.headers(1, H2FrameClient.get("/x").add("x-big", "v".repeat(1_100)), true);

            assertThat(status(client, 1)).isEqualTo("431");
            client.headers(3, H2FrameClient.get("/x"), true); // the connection carries on
            assertThat(status(client, 3)).isEqualTo("200");
        }
    }

    @Test
    void localAnswersToEndedRequestsSendNoResetSoManyDoNotTripTheResetCap() {
        try (TestGateway gateway = TestGateway.start(config("http2: {max_rst_frames_per_second: 10}"));
             H2FrameClient client = H2FrameClient.connect(gateway.port())) {
            for (int stream = 1; stream < 2 * 60; stream += 2) {
                client.headers(stream, H2FrameClient.get("/healthz"), true); // answered by the gateway itself
            }

            client.await(Data.class, d -> d.streamId() == 2 * 60 - 1 && d.endStream());

            assertThat(client.events()).noneMatch(e -> e instanceof Reset || e instanceof GoAway);
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void aHostThatDiffersFromTheAuthorityIsRefusedAndTheConnectionCarriesOn() {
        try (TestGateway gateway = TestGateway.start(config(""));
             H2FrameClient client = H2FrameClient.connect(gateway.port())) {
            client.headers(1, H2FrameClient.get("/x").add("host", "elsewhere.test"), true);

            Headers refused = client.await(Headers.class, h -> h.streamId() == 1);

            assertThat(refused.headers().status().toString()).isEqualTo("400");
            client.headers(3, H2FrameClient.get("/x"), true);
            assertThat(status(client, 3)).isEqualTo("200");
            assertThat(backend.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void aConnectionWithNoOpenStreamIsClosedWithGoAwayAfterTheIdleTimeout() {
        try (TestGateway gateway = TestGateway.start(config("timeouts: {idle: 300ms}"));
             H2FrameClient client = H2FrameClient.connect(gateway.port())) {
            client.await(Settings.class);

            GoAway goAway = client.await(GoAway.class);

            assertThat(goAway.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
            assertThat(goAway.lastStreamId()).isZero();
            client.awaitClosed();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> gateway.metric("gatehouse_client_connections") == 0); // counted closed, too
        }
    }

    @Test
    void shutdownSendsAGracefulGoAwayAndLetsTheOpenStreamFinish() {
        TestGateway gateway = TestGateway.start(config(""));
        try (H2FrameClient client = H2FrameClient.connect(gateway.port())) {
            client.await(Settings.class);
            client.headers(1, H2FrameClient.post("/x"), false);
            client.sync(); // the gateway has read up to here

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(
                    () -> gateway.server().shutdown(Duration.ofSeconds(10)));

            GoAway goAway = client.await(GoAway.class);
            assertThat(goAway.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
            assertThat(goAway.lastStreamId()).isEqualTo(1);
            assertThat(shutdown).isNotDone();
            client.data(1, "body", true);
            assertThat(status(client, 1)).isEqualTo("200");
            client.awaitClosed();
            shutdown.join();
        }
    }

    @Test
    void aReloadOfTheHttp2LimitsSendsExistingConnectionsAGoAway() {
        try (TestGateway gateway = TestGateway.start(config(""));
             H2FrameClient before = H2FrameClient.connect(gateway.port())) {
            before.await(Settings.class);
            gateway.install(config("http2: {max_concurrent_streams: 7}"));

            assertThat(before.await(GoAway.class).errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
            before.awaitClosed();
            try (H2FrameClient after = H2FrameClient.connect(gateway.port())) {
                assertThat(after.await(Settings.class).settings().maxConcurrentStreams()).isEqualTo(7);
            }
        }
    }

    @Test
    void http2CannotBeTurnedOffWhileRunning() {
        try (TestGateway gateway = TestGateway.start(config(""))) {
            assertThatThrownBy(() -> gateway.install(config("http2: {enabled: false}")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("server.http2.enabled: cannot change while running (running: true;"
                            + " restart to change it)");
        }
    }

    @Test
    void anUpgradeToH2cIsServedAsHttp11WithTheUpgradeIgnored() throws Exception {
        try (TestGateway gateway = TestGateway.start(config(""))) {
            Reply reply = gateway.exchange(RawHttp.request("GET", "/x", "Connection: Upgrade, HTTP2-Settings",
                    "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAAQAAP__"));

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("ok");
            RecordedRequest forwarded = received(backend);
            assertThat(forwarded.getHeaders().get("Upgrade")).isNull();
            assertThat(forwarded.getHeaders().get("HTTP2-Settings")).isNull();
        }
    }

    @Test
    void withHttp2DisabledThePrefaceIsNotHttp2() throws Exception {
        try (TestGateway gateway = TestGateway.start(config("http2: {enabled: false}"));
             RawHttp raw = gateway.connect()) {
            String answer = raw.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").readUntilClose();

            assertThat(Reply.parse(answer).errorCode()).isEqualTo("http_version_not_supported");
        }
    }
}
