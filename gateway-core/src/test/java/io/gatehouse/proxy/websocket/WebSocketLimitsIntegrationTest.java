package io.gatehouse.proxy.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.TestGateway;
import io.gatehouse.upstream.Backend;
import io.gatehouse.testing.WebSocketBackend;
import io.gatehouse.testing.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What ends a tunnel, or must not: its limits, shutdown, a reload, and a backend that stops reading. */
class WebSocketLimitsIntegrationTest {
    private static final int MIB = 1 << 20;
    private WebSocketBackend backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = new WebSocketBackend();
        gateway = TestGateway.start(config(backend.port()));
    }

    private static String config(int port) {
        return """
                auth: {default: []}
                routes:
                  - {id: ws, match: {path_prefix: /ws}, upstream: "http://127.0.0.1:%d", websocket: true}
                  - {id: idle, match: {path_prefix: /idle}, upstream: "http://127.0.0.1:%d", rewrite: /ws,
                     websocket: {idle_timeout: 300ms}}
                  - {id: short, match: {path_prefix: /short}, upstream: "http://127.0.0.1:%d", rewrite: /ws,
                     websocket: {max_lifetime: 500ms}}
                """.formatted(port, port, port);
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
    void idleTimeoutClosesBothEndsWith1001() throws Exception {
        WsClient client = WsClient.open(url("/idle"), Map.of("X-Request-ID", "ws-idle"));

        client.awaitClosing(Duration.ofSeconds(5));

        assertThat(client.closeCode).isEqualTo(1001);
        assertThat(client.closeReason).isEqualTo("idle timeout");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.closeCodes.contains(1001));
        await().atMost(Duration.ofSeconds(5)).until(() -> client.closed);
        assertThat(gateway.accessLogLine("ws-idle").get("status").asInt()).isEqualTo(101);
        assertThat(gateway.metric("gatehouse_websocket_closed_total", "route=\"idle\"", "reason=\"idle_timeout\""))
                .isEqualTo(1.0);
    }

    @Test
    void trafficKeepsAnIdleTimeoutAway() throws Exception {
        WsClient client = WsClient.open(url("/idle"), Map.of());

        for (int i = 0; i < 8; i++) { // 8 round trips 100 ms apart: longer than the idle timeout in all
            String text = "ping " + i;
            await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> true);
            client.socket.send(text);
            assertThat(client.next()).isEqualTo(text);
        }
        assertThat(client.closeCode).isNull();
        client.socket.close(1000, null);
    }

    @Test
    void maxLifetimeClosesABusyTunnelWith1001() throws Exception {
        WsClient client = WsClient.open(url("/short"), Map.of());
        client.socket.send("busy");

        client.awaitClosing(Duration.ofSeconds(5));

        assertThat(client.closeCode).isEqualTo(1001);
        assertThat(client.closeReason).isEqualTo("maximum lifetime reached");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.closeCodes.contains(1001));
    }

    @Test
    void gracefulShutdownSends1001BothWaysWithinTheGrace() throws Exception {
        WsClient client = WsClient.open(url("/ws"), Map.of());

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(
                () -> gateway.server().shutdown(Duration.ofSeconds(10)));

        client.awaitClosing(Duration.ofSeconds(5));
        assertThat(client.closeCode).isEqualTo(1001);
        assertThat(client.closeReason).isEqualTo("gateway shutting down");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.closeCodes.contains(1001));
        shutdown.get(5, TimeUnit.SECONDS); // the tunnel ended: the shutdown did not wait out its grace
    }

    @Test
    void aReloadLeavesAnOpenTunnelOnItsBackendEvenWhenTheBackendIsRemoved() throws Exception {
        WsClient client = WsClient.open(url("/ws"), Map.of());
        Backend removed = gateway.server().snapshot().pools().get("route:ws").backends().get(0);
        try (WebSocketBackend replacement = new WebSocketBackend()) {
            gateway.install(config(replacement.port()));
            // The tunnel holds no place in the backend's pool: the backend is retired and its pools closed.
            await().atMost(Duration.ofSeconds(5)).until(() -> removed.isRetired()
                    && !gateway.server().runtime().connectionPools().holds(removed));

            client.socket.send("still here");

            assertThat(client.next()).isEqualTo("still here");
            assertThat(backend.handshakes).hasSize(1);
            assertThat(replacement.handshakes).isEmpty();
            WsClient next = WsClient.open(url("/ws"), Map.of());
            assertThat(replacement.handshakes).hasSize(1);
            next.socket.close(1000, null);
        }
        client.socket.close(1000, null);
    }

    @Test
    void aBackendThatStopsReadingStopsTheClientInsteadOfFillingTheGateway() throws Exception {
        WsClient client = WsClient.open(url("/ws/sink"), Map.of());
        backend.pause();
        ByteString mebibyte = ByteString.of(new byte[MIB]);
        int messages = 64;
        AtomicLong queued = new AtomicLong();
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < messages; i++) {
                // OkHttp closes a WebSocket whose send queue would pass 16 MiB: offer only what fits.
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(60))
                        .until(() -> client.socket.queueSize() <= 15L * MIB);
                client.socket.send(mebibyte);
                queued.addAndGet(MIB);
            }
        });

        Stalled written = new Stalled(() -> queued.get() - client.socket.queueSize());
        await().atMost(Duration.ofSeconds(20)).until(written::stalled);

        assertThat(written.value()).as("bytes the client got onto the network while the backend read nothing")
                .isLessThan(40L * MIB);
        assertThat(sender).isNotDone();
        backend.resume();
        sender.get(30, TimeUnit.SECONDS);
        long frameHeader = 2 + 8 + 4; // a 64-bit length and a masking key
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.sunkBytes.get() == messages * (MIB + frameHeader));
        client.socket.close(1000, null);
    }

    /** A growing value that stopped growing for 500 ms, as polled. */
    private static final class Stalled {
        private final java.util.function.LongSupplier source;
        private long last = -1;
        private long since;

        Stalled(java.util.function.LongSupplier source) {
            this.source = source;
        }

        boolean stalled() {
            long now = System.nanoTime();
            long value = source.getAsLong();
            if (value != last) {
                last = value;
                since = now;
                return false;
            }
            return value > 0 && now - since >= TimeUnit.MILLISECONDS.toNanos(500);
        }

        long value() {
            return last;
        }
    }
}
