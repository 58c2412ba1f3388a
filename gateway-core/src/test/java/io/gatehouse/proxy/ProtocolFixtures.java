package io.gatehouse.proxy;

import io.gatehouse.testing.RawBackend;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;

import static io.gatehouse.testing.MockBackends.received;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared setup of the {@code Protocol*} and {@code Headers*} integration tests: a mock backend, a gateway with one
 * catch-all route to it, raw requests and a parsed view of raw responses. Holds no tests itself.
 */
final class ProtocolFixtures {
    /** How long a raw socket waits for bytes, so a hanging gateway fails a test quickly instead of after 10 s. */
    static final int SOCKET_TIMEOUT_MS = TestGateway.RAW_READ_TIMEOUT_MS;

    private ProtocolFixtures() {}

    static MockWebServer startBackend() throws IOException {
        MockWebServer backend = new MockWebServer();
        backend.start(0);
        return backend;
    }

    /** A gateway from a {@code server:} section (may be empty) and {@link #route} entries. */
    static TestGateway gateway(String serverYaml, String... routes) {
        return TestGateway.start(serverYaml + "routes:\n" + String.join("", routes));
    }

    /** A gateway with the one catch-all route {@code r} to {@code backend}. */
    static TestGateway gateway(MockWebServer backend) {
        return gateway("", catchAll(backend));
    }

    /** Route {@code r}: every path to {@code backend}. */
    static String catchAll(MockWebServer backend, String... extraKeys) {
        return route("r", "path_prefix: /", backend, extraKeys);
    }

    /**
     * One {@code routes:} entry.
     *
     * @param match     the contents of the {@code match:} map, e.g. "path_prefix: /api, methods: [GET]"
     * @param extraKeys further route keys, one line each, e.g. "strip_prefix: true"
     */
    static String route(String id, String match, MockWebServer backend, String... extraKeys) {
        return route(id, match, backend.getPort(), extraKeys);
    }

    /** One {@code routes:} entry to a backend on a loopback port, such as a {@link RawBackend}'s. */
    static String route(String id, String match, int backendPort, String... extraKeys) {
        StringBuilder yaml = new StringBuilder()
                .append("  - id: ").append(id).append('\n')
                .append("    match: {").append(match).append("}\n")
                .append("    upstream: \"http://127.0.0.1:").append(backendPort).append("\"\n");
        for (String key : extraKeys) {
            yaml.append("    ").append(key).append('\n');
        }
        return yaml.toString();
    }

    static RawHttp connect(TestGateway gateway) throws IOException {
        return gateway.connect();
    }

    static Reply exchange(TestGateway gateway, String request) throws IOException {
        return gateway.exchange(request);
    }

    /** Sends {@code request} through the gateway to {@code backend}, which answers 200 "ok"; returns what arrived. */
    static RecordedRequest proxied(TestGateway gateway, MockWebServer backend, String request)
            throws IOException, InterruptedException {
        backend.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        Reply reply = exchange(gateway, request);
        assertThat(reply.status()).as("status of %s", reply).isEqualTo(200);
        return received(backend);
    }

    /** An HTTP/1.1 request text without a body: {@code headerLines} are complete lines such as "X-A: 1". */
    static String request(String method, String target, String... headerLines) {
        return RawHttp.request(method, target, headerLines);
    }

    static String get(String target, String... headerLines) {
        return request("GET", target, headerLines);
    }

    /** True when the gateway closes the connection before the socket's read timeout. */
    static boolean closedByGateway(RawHttp raw) throws IOException {
        try {
            while (raw.socket().getInputStream().read() >= 0) {
                // drain whatever is left of a response body
            }
            return true;
        } catch (InterruptedIOException e) {
            return false; // timed out: still open
        } catch (SocketException e) {
            return true; // reset
        }
    }


}
