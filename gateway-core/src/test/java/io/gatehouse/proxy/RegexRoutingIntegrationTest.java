package io.gatehouse.proxy;

import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.gatehouse.proxy.ProtocolFixtures.exchange;
import static io.gatehouse.proxy.ProtocolFixtures.gateway;
import static io.gatehouse.proxy.ProtocolFixtures.get;
import static io.gatehouse.proxy.ProtocolFixtures.route;
import static io.gatehouse.proxy.ProtocolFixtures.startBackend;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A regex from the config ({@code path_regex}, {@code ~regex} header and query values) costs time linear in the
 * request, whatever the pattern. {@code (.*a){12}} against {@code a...a!} is the classic catastrophic backtracking
 * case: with java.util.regex one path of 34 {@code a} held an event loop for 29 s, and a 16 KiB header value would
 * hold it for longer than anyone waits. Here every such request must be answered within the raw socket's read
 * timeout ({@link TestGateway#RAW_READ_TIMEOUT_MS}, 2 s: generous, and far below the seconds it took).
 */
class RegexRoutingIntegrationTest {
    private static final String BACKTRACKING_TRAP = "(.*a){12}";
    private static final String TRAP_PATH = "/" + "a".repeat(34) + "!";
    private static final String TRAP_VALUE = "a".repeat(16 * 1024) + "!";
    private static final String TWELVE_A = "a".repeat(12);

    private MockWebServer backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = startBackend();
        gateway = gateway("server: {limits: {max_initial_line: 64KiB, max_header_bytes: 64KiB}}\n",
                route("by-path", "path_regex: \"^/" + BACKTRACKING_TRAP + "$\"", backend),
                route("by-header", "path: /h, headers: {x-probe: \"~" + BACKTRACKING_TRAP + "\"}", backend),
                route("by-query", "path: /q, query: {probe: \"~" + BACKTRACKING_TRAP + "\"}", backend),
                route("plain", "path: /plain", backend));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @Test
    void pathRegexAnswersACatastrophicBacktrackingPathAtOnce() throws Exception {
        assertThat(exchange(gateway, get(TRAP_PATH)).status()).isEqualTo(404);

        assertThat(proxiedStatus(get("/" + TWELVE_A))).as("the route still matches what it should").isEqualTo(200);
    }

    @Test
    void headerRegexAnswersA16KiBBacktrackingValueAtOnce() throws Exception {
        assertThat(exchange(gateway, get("/h", "X-Probe: " + TRAP_VALUE)).status()).isEqualTo(404);

        assertThat(proxiedStatus(get("/h", "X-Probe: " + TWELVE_A))).isEqualTo(200);
    }

    @Test
    void queryRegexAnswersA16KiBBacktrackingValueAtOnce() throws Exception {
        assertThat(exchange(gateway, get("/q?probe=" + TRAP_VALUE)).status()).isEqualTo(404);

        assertThat(proxiedStatus(get("/q?probe=" + TWELVE_A))).isEqualTo(200);
    }

    /** The tests run the gateway with 2 event loops: one trap per loop used to stall every connection. */
    @Test
    void trapsOnEveryEventLoopLeaveOtherTrafficFlowing() throws Exception {
        List<RawHttp> traps = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                traps.add(gateway.connect().send(get("/h", "X-Probe: " + TRAP_VALUE)));
            }

            assertThat(proxiedStatus(get("/plain"))).isEqualTo(200);
            for (RawHttp trap : traps) {
                assertThat(Reply.parse(trap.readResponse()).status()).isEqualTo(404);
            }
        } finally {
            for (RawHttp trap : traps) {
                trap.close();
            }
        }
    }

    private int proxiedStatus(String request) throws Exception {
        backend.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        return exchange(gateway, request).status();
    }
}
