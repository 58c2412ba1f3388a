package io.gatehouse.server;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A gateway whose port is taken says which address it could not listen on, and leaves nothing running. */
class CannotListenTest {
    private static final String CONFIG = """
            server: {host: 127.0.0.1, port: %d}
            routes:
              - {id: all, match: {path_prefix: /}, upstream: "http://127.0.0.1:9"}
            """;

    @Test
    void aTakenPortIsNamedAndTheFailedStartStopsEveryThreadItStarted() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            GatewayConfig config = ConfigLoader.parse(CONFIG.formatted(port), Map.of());
            Set<Thread> before = Thread.getAllStackTraces().keySet();

            assertThatThrownBy(() -> GatewayServer.start(config, 2))
                    .isInstanceOf(CannotListenException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + port + ": address already in use");

            // Event loop threads are not daemons: left running, they would keep an embedding JVM alive.
            // (The condition runs on Awaitility's own thread, which is not one of them.)
            await("the failed start's threads end").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(Thread.getAllStackTraces().keySet())
                            .filteredOn(thread -> !before.contains(thread) && thread != Thread.currentThread()
                                    && !thread.isDaemon() && thread.isAlive())
                            .extracting(Thread::getName)
                            .isEmpty());
        }
    }

    @Test
    void anIpv6HostIsBracketedInTheMessage() {
        assertThat(new CannotListenException("::", 8081, new java.net.BindException("Address already in use")))
                .hasMessage("cannot listen on [::]:8081: address already in use");
    }

    @Test
    void theNativeTransportsPrefixIsDropped() {
        assertThat(new CannotListenException("0.0.0.0", 80,
                new java.io.IOException("bind(..) failed: Permission denied")))
                .hasMessage("cannot listen on 0.0.0.0:80: permission denied");
    }
}
