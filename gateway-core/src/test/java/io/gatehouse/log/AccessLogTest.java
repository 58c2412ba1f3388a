package io.gatehouse.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.Protocol;
import io.gatehouse.context.RequestContext;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The access-log line: valid JSON with the fields operators search by; closing the log writes every queued line. */
class AccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode line(RequestContext ctx) throws Exception {
        StringBuilder out = new StringBuilder();
        AccessLog.format(ctx, out);
        return JSON.readTree(out.toString());
    }

    private static RequestContext request() throws Exception {
        InetAddress proxy = InetAddress.getByName("10.0.0.5");
        return new RequestContext(new ClientPeer(proxy, "10.0.0.5", true), "GET", "/users?page=2",
                "0123456789abcdef0123456789abcdef");
    }

    @Test
    void aPlainRequestHasItsIdClientAndNoOptionalFields() throws Exception {
        RequestContext ctx = request();
        ctx.finish(200);

        JsonNode line = line(ctx);

        assertThat(line.get("request_id").asText()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(line.get("client_ip").asText()).isEqualTo("10.0.0.5");
        assertThat(line.get("path").asText()).isEqualTo("/users?page=2");
        assertThat(line.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(line.has("peer_ip")).isFalse();
        assertThat(line.has("consumer")).isFalse();
        assertThat(line.has("rate_limited")).isFalse();
        assertThat(line.has("breaker")).isFalse();
        assertThat(line.has("aborted")).isFalse();
    }

    @Test
    void theProtocolIsLogged() throws Exception {
        RequestContext ctx = request();
        ctx.protocol(Protocol.HTTP_2);
        ctx.finish(200);

        assertThat(line(ctx).get("protocol").asText()).isEqualTo("HTTP/2");
    }

    @Test
    void aResponseCutOffAfterItsHeadIsLoggedWithThatStatusAndAborted() throws Exception {
        RequestContext ctx = request();
        ctx.status(200);
        ctx.markAborted();
        ctx.finish(200);

        JsonNode line = line(ctx);

        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("aborted").asBoolean()).isTrue();
    }

    @Test
    void retriesAndTheBreakerStateAreLogged() throws Exception {
        RequestContext ctx = request();
        ctx.attemptStarted();
        ctx.attemptStarted();
        ctx.breaker("half_open");
        ctx.finish(200);

        JsonNode line = line(ctx);

        assertThat(line.get("attempts").asInt()).isEqualTo(2);
        assertThat(line.get("breaker").asText()).isEqualTo("half_open");
    }

    @Test
    void aForwardedClientTheConsumerAndARateLimitRefusalAreLogged() throws Exception {
        RequestContext ctx = request();
        ctx.clientAddress(InetAddress.getByName("203.0.113.9"));
        ctx.consumer("dev-\"team\"");
        ctx.rateLimited(true);
        ctx.finish(429);

        JsonNode line = line(ctx);

        assertThat(line.get("client_ip").asText()).isEqualTo("203.0.113.9");
        assertThat(line.get("peer_ip").asText()).isEqualTo("10.0.0.5");
        assertThat(line.get("consumer").asText()).isEqualTo("dev-\"team\"");
        assertThat(line.get("rate_limited").asBoolean()).isTrue();
        assertThat(line.get("status").asInt()).isEqualTo(429);
    }

    @Test
    void closeWritesEveryLineRecordedBeforeIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLog log = AccessLog.open(out);
        for (int i = 0; i < 2_000; i++) {
            RequestContext ctx = request();
            ctx.finish(200);
            log.record(ctx);
        }

        log.close();

        synchronized (out) { // ByteArrayOutputStream writes under its own lock: this reads what the writer wrote
            assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(2_000);
        }
        assertThat(log.droppedLines()).isZero();
    }

    @Test
    void aLineRecordedAfterCloseIsCountedAsDropped() throws Exception {
        AccessLog log = AccessLog.open(new ByteArrayOutputStream());
        log.close();
        RequestContext ctx = request();
        ctx.finish(200);

        log.record(ctx);

        assertThat(log.droppedLines()).isEqualTo(1);
    }
}
