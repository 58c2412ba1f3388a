package io.gatehouse.server;

import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway runs on native epoll by default on Linux (the jar bundles the x86_64 and aarch64 libraries), and
 * {@code -Dgatehouse.transport=nio} still gives a working gateway on NIO. Every other test in this module runs on
 * the default, so on Linux the whole suite runs on epoll.
 */
class TransportIntegrationTest {
    private static final String CONFIG = """
            server: {host: 127.0.0.1, port: 0}
            routes:
              - {id: all, match: {path_prefix: /}, upstream: "%s"}
            """;

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "aarch64"})
    void theDefaultOnLinuxIsEpollAndItProxies() throws Exception {
        try (CapturedLogs logs = CapturedLogs.of(GatewayServer.class); NamedBackend backend = new NamedBackend("A");
             TestGateway gateway = TestGateway.start(CONFIG.formatted(backend.url()))) {
            assertThat(logs.messages()).anyMatch(line -> line.contains("(epoll transport"));
            assertThat(gateway.get("/x").body()).isEqualTo("A");
        }
    }

    @Test
    void forcedNioStillProxies() throws Exception {
        String before = System.setProperty("gatehouse.transport", "nio");
        try (CapturedLogs logs = CapturedLogs.of(GatewayServer.class); NamedBackend backend = new NamedBackend("A");
             TestGateway gateway = TestGateway.start(CONFIG.formatted(backend.url()))) {
            assertThat(logs.messages()).anyMatch(line -> line.contains("(nio transport"));
            assertThat(gateway.get("/x").body()).isEqualTo("A");
        } finally {
            restore(before);
        }
    }

    @Test
    void anUnknownTransportIsRefusedByName() {
        String before = System.setProperty("gatehouse.transport", "kqueue");
        try {
            assertThatThrownBy(Transport::best).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("gatehouse.transport: kqueue (expected: auto, epoll or nio)");
        } finally {
            restore(before);
        }
    }

    private static void restore(String before) {
        if (before == null) {
            System.clearProperty("gatehouse.transport");
        } else {
            System.setProperty("gatehouse.transport", before);
        }
    }
}
