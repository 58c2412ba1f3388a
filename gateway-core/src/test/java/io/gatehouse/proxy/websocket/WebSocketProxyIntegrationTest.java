package io.gatehouse.proxy.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.RawBackend;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.WebSocketBackend;
import io.gatehouse.testing.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSockets through the gateway between OkHttp's client and a Netty WebSocket server: the tunnel itself. */
class WebSocketProxyIntegrationTest {
    private static final String KEY = "0123456789abcdef-dev";
    private WebSocketBackend backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = new WebSocketBackend();
        gateway = TestGateway.start("""
                auth:
                  default: []
                  api_keys: {keys: [{id: dev, key: "%s"}]}
                rate_limit:
                  backend: local
                  policies: [{id: one, key: client_ip, limit: 1, period: 1m}]
                  default: []
                routes:
                  - {id: ws, match: {path_prefix: /ws}, upstream: "http://127.0.0.1:%d", websocket: true}
                  - {id: plain, match: {path_prefix: /plain}, upstream: "http://127.0.0.1:%d"}
                  - {id: nows, match: {path_prefix: /nows}, upstream: "http://127.0.0.1:%d", websocket: true}
                  - {id: keyed, match: {path_prefix: /keyed}, upstream: "http://127.0.0.1:%d", websocket: true,
                     rewrite: /ws, auth: [api_key]}
                  - {id: limited, match: {path_prefix: /limited}, upstream: "http://127.0.0.1:%d", websocket: true,
                     rewrite: /ws, rate_limit: [one]}
                """.formatted(KEY, backend.port(), backend.port(), backend.port(), backend.port(), backend.port()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.close();
    }

    private String url(String path) {
        return "ws://127.0.0.1:" + gateway.port() + path;
    }

    @Test
    void echoesTextAndBinaryWithTheHandshakeHeadersPassedOn() throws Exception {
        WsClient client = WsClient.open(url("/ws/echo"), Map.of("Sec-WebSocket-Protocol", "chat",
                "X-Request-ID", "ws-echo"));

        assertThat(client.opened.code()).isEqualTo(101);
        assertThat(client.opened.header("Sec-WebSocket-Protocol")).isEqualTo("chat");
        assertThat(client.opened.header("Sec-WebSocket-Accept")).isNotBlank();
        assertThat(client.opened.header("X-Request-ID")).isEqualTo("ws-echo");
        assertThat(backend.handshakes.get(0).get("Sec-WebSocket-Key")).isNotBlank();
        assertThat(backend.handshakes.get(0).get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        client.socket.send("text ✓");
        assertThat(client.next()).isEqualTo("text ✓");
        ByteString binary = ByteString.of(new byte[] {0, 1, 2, (byte) 0xFF});
        client.socket.send(binary);
        assertThat(client.next()).isEqualTo(binary);
        assertThat(gateway.metric("gatehouse_websocket_connections", "route=\"ws\"")).isEqualTo(1.0);

        client.socket.close(1000, "done");
        client.awaitClosing(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.closeCodes.contains(1000));
        JsonNode line = gateway.accessLogLine("ws-echo");
        assertThat(line.get("status").asInt()).isEqualTo(101);
        assertThat(line.get("route").asText()).isEqualTo("ws");
        assertThat(line.get("bytes_in").asLong()).isGreaterThan("text ✓".length() + 4);
        assertThat(line.get("bytes_out").asLong()).isGreaterThan("hello".length() + "text ✓".length() + 4);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                gateway.metric("gatehouse_websocket_connections", "route=\"ws\"") == 0.0);
        assertThat(gateway.metric("gatehouse_websocket_closed_total", "route=\"ws\"", "reason=\"client_close\""))
                .isEqualTo(1.0);
    }

    @Test
    void tenMebibyteMessagesBothWays() throws Exception {
        WsClient client = WsClient.open(url("/ws/big"), Map.of());
        byte[] bytes = new byte[10 << 20];
        ThreadLocalRandom.current().nextBytes(bytes);
        ByteString big = ByteString.of(bytes);

        client.socket.send(big);

        assertThat(client.next()).isEqualTo(big);
        client.socket.close(1000, null);
    }

    @Test
    void aCloseFromTheBackendReachesTheClientWithItsCode() throws Exception {
        WsClient client = WsClient.open(url("/ws/close"), Map.of());

        client.socket.send("close-me");

        client.awaitClosing(Duration.ofSeconds(5));
        assertThat(client.closeCode).isEqualTo(4001);
        assertThat(client.closeReason).isEqualTo("bye");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.closeCodes.contains(4001)); // the client's answer
        await().atMost(Duration.ofSeconds(5)).until(() -> client.closed);
    }

    @Test
    void aCloseFromTheClientReachesTheBackendWithItsCode() throws Exception {
        WsClient client = WsClient.open(url("/ws/close"), Map.of());

        client.socket.close(4002, "leaving");

        await().atMost(Duration.ofSeconds(5)).until(() -> backend.closeCodes.contains(4002));
        await().atMost(Duration.ofSeconds(5)).until(() -> client.closed);
        assertThat(client.failure).isNull();
    }

    @Test
    void aBackendThatDiesClosesTheClient() throws Exception {
        WsClient client = WsClient.open(url("/ws/drop"), Map.of());

        backend.dropConnections();

        await().atMost(Duration.ofSeconds(5)).until(() -> client.failure != null || client.closed);
    }

    @Test
    void aRouteWithoutWebsocketRefusesTheUpgradeAndTheBackendNeverSeesIt() throws Exception {
        WsClient client = WsClient.connect(url("/plain/ws"));

        await().atMost(Duration.ofSeconds(5)).until(() -> client.failure != null);
        assertThat(client.failedResponse.code()).isEqualTo(403);
        Reply reply = gateway.exchange(RawHttp.request("GET", "/plain/ws", "Upgrade: websocket",
                "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.errorCode()).isEqualTo("websocket_not_allowed");
        assertThat(backend.handshakes).isEmpty();
    }

    @Test
    void anUpgradeRefusedByAuthNeverReachesTheBackend() throws Exception {
        WsClient refused = WsClient.connect(url("/keyed"));
        await().atMost(Duration.ofSeconds(5)).until(() -> refused.failure != null);
        assertThat(refused.failedResponse.code()).isEqualTo(401);
        assertThat(backend.handshakes).isEmpty();

        WsClient admitted = WsClient.open(url("/keyed"), Map.of("X-API-Key", KEY));
        admitted.socket.send("in");
        assertThat(admitted.next()).isEqualTo("in");
        assertThat(backend.handshakes).hasSize(1);
        admitted.socket.close(1000, null);
    }

    @Test
    void anUpgradeOverTheRateLimitNeverReachesTheBackend() throws Exception {
        WsClient first = WsClient.open(url("/limited"), Map.of());

        WsClient second = WsClient.connect(url("/limited"));

        await().atMost(Duration.ofSeconds(5)).until(() -> second.failure != null);
        assertThat(second.failedResponse.code()).isEqualTo(429);
        assertThat(backend.handshakes).hasSize(1);
        first.socket.send("the first one is open");
        assertThat(first.next()).isEqualTo("the first one is open");
        first.socket.close(1000, null);
    }

    @Test
    void aBackendAnswerOtherThan101IsRelayedAsAResponse() throws Exception {
        WsClient client = WsClient.connect(url("/nows"));

        await().atMost(Duration.ofSeconds(5)).until(() -> client.failure != null);
        assertThat(client.failedResponse.code()).isEqualTo(404);
        try (RawHttp raw = gateway.connect()) {
            raw.send(RawHttp.request("GET", "/nows", "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));
            Reply reply = Reply.parse(raw.readResponse());
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.body()).isEqualTo("no websocket here");
            assertThat(raw.isClosedByPeer()).as("the client asked to leave HTTP: the connection closes").isTrue();
        }
    }

    @Test
    void aFrameTheBackendSendsInTheSamePacketAsIts101ArrivesAfterIt() throws Exception {
        try (RawBackend raw = RawBackend.start(connection -> {
            connection.readHead();
            connection.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\u0081\u0005hello"); // one write
            connection.awaitClose();
        }); TestGateway rawGateway = TestGateway.start("""
                auth: {default: []}
                routes:
                  - {id: raw, match: {path_prefix: /}, upstream: "http://127.0.0.1:%d", websocket: true}
                """.formatted(raw.port()));
             RawHttp client = rawGateway.connect()) {
            client.send(RawHttp.request("GET", "/raw", "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));

            String head = client.readHead();

            assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket")
                    .containsIgnoringCase("connection: upgrade")
                    .containsIgnoringCase("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            byte[] frame = client.socket().getInputStream().readNBytes(7);
            assertThat(frame).containsExactly((byte) 0x81, 5, 'h', 'e', 'l', 'l', 'o');
        }
    }

    @Test
    void aClientThatGoesAwayClosesTheBackend() throws Exception {
        try (RawHttp raw = gateway.connect()) {
            raw.send(RawHttp.request("GET", "/ws/gone", "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));
            assertThat(raw.readHead()).startsWith("HTTP/1.1 101");
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    gateway.metric("gatehouse_websocket_connections", "route=\"ws\"") == 1.0);
        }

        await().atMost(Duration.ofSeconds(5)).until(() ->
                gateway.metric("gatehouse_websocket_connections", "route=\"ws\"") == 0.0);
        assertThat(gateway.metric("gatehouse_websocket_closed_total", "route=\"ws\"", "reason=\"client_gone\""))
                .isEqualTo(1.0);
    }

    @Test
    void aRequestThatIsNoUpgradeStillPassesOnAWebsocketRoute() throws Exception {
        Reply reply = gateway.exchange(RawHttp.request("GET", "/nows/plain"));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body()).isEqualTo("no websocket here");
    }
}
