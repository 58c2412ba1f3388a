package io.gatehouse.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;

/** Each gateway owns its access log: two in one JVM keep their lines apart, and shutdown writes the last one. */
class GatewayAccessLogTest {
    private static final String NO_ROUTES = """
            pools:
              p: {backends: [{url: "http://127.0.0.1:9"}]}
            routes:
              - id: only
                match: {path: /only}
                pool: p
            """;

    @Test
    void twoGatewaysInOneJvmWriteTheirOwnLines() throws Exception {
        try (TestGateway first = TestGateway.start(NO_ROUTES); TestGateway second = TestGateway.start(NO_ROUTES)) {
            assertThat(get(first, "from-first").status()).isEqualTo(404);
            assertThat(get(second, "from-second").status()).isEqualTo(404);

            assertThat(first.accessLogLine("from-first").get("status").asInt()).isEqualTo(404);
            assertThat(second.accessLogLine("from-second").get("status").asInt()).isEqualTo(404);
            assertThat(first.accessLog()).noneMatch(line -> line.contains("from-second"));
            assertThat(second.accessLog()).noneMatch(line -> line.contains("from-first"));
        }
    }

    @Test
    void shutdownWritesTheLastRequestsLine() throws Exception {
        TestGateway gateway = TestGateway.start(NO_ROUTES);
        Reply reply = get(gateway, "last-one");

        gateway.close();

        assertThat(reply.status()).isEqualTo(404);
        assertThat(gateway.accessLog()).anyMatch(line -> line.contains("\"request_id\":\"last-one\""));
    }

    private static Reply get(TestGateway gateway, String requestId) throws Exception {
        try (RawHttp client = gateway.connect()) {
            return Reply.parse(client.send(RawHttp.request("GET", "/elsewhere", "X-Request-ID: " + requestId))
                    .readResponse());
        }
    }
}
