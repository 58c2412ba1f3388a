package io.gatehouse.proxy.downstream;

import io.gatehouse.context.Rejection;
import io.gatehouse.proxy.EmbeddedGateway;
import io.gatehouse.proxy.EmbeddedGateway.Client;
import io.gatehouse.proxy.EmbeddedGateway.Reply;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static io.gatehouse.testing.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures that reach the client connection as exceptions rather than as decoded messages: the client is answered
 * through the one refusal path if it is owed an answer, and the connection closes; never a silent close while a
 * client waits, never a hang. On an {@link io.netty.channel.embedded.EmbeddedChannel} with the real pipeline.
 */
class ClientFailureTest {
    private static final String YAML = """
            auth:
              default: []
            routes:
              - {id: api, match: {path_prefix: /api}, upstream: "http://127.0.0.1:9"}
            """;

    private EmbeddedGateway gateway;

    @BeforeEach
    void start() {
        gateway = EmbeddedGateway.start(YAML);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void codecExceptionBeforeAnyHeadIsAnswered400WithARequestIdThenClosed() throws Exception {
        Client client = gateway.connect();
        client.send("GET /api/partial HTTP/1.1\r\nHost: x\r\n"); // a head under way

        client.pipeline().fireExceptionCaught(new DecoderException("parser detail"));

        Reply reply = single(client.replies());
        assertRefusal(reply, 400, "bad_request");
        assertThat(reply.body()).doesNotContain("parser detail");
        assertThat(client.isActive()).isFalse();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void unexpectedExceptionIs500WithoutItsTextThenClosed() throws Exception {
        Client client = gateway.connect();

        client.pipeline().fireExceptionCaught(new IllegalStateException("internal detail"));

        Reply reply = single(client.replies());
        assertRefusal(reply, 500, "internal_error");
        assertThat(reply.body()).doesNotContain("internal detail");
        assertThat(client.isActive()).isFalse();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void exceptionWhileARequestIsInHandIsAnsweredForThatRequest() throws Exception {
        Client client = gateway.connect();
        // Refused (404), the rest of its declared body is being read and dropped: the 404 went out already.
        Reply refused = single(client.exchange(request("POST", "/nowhere", "X-Request-ID: first",
                "Content-Length: 10") + "01234"));
        assertThat(refused.status()).isEqualTo(404);

        client.pipeline().fireExceptionCaught(new DecoderException("parser detail"));

        assertThat(client.replies()).as("nothing more to say about an answered request").isEmpty();
        assertThat(client.isActive()).isFalse();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void connectionErrorClosesWithoutAnAnswer() throws Exception {
        Client client = gateway.connect();

        client.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

        assertThat(client.replies()).isEmpty();
        assertThat(client.isActive()).isFalse();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void requestHeadTimeoutIsAnsweredLikeEveryRefusalAndCounted() throws Exception {
        Client client = gateway.connect();
        client.send("GET /api/slow HTTP/1.1\r\n");

        client.pipeline().fireUserEventTriggered(new ClientRefusal(
                Rejection.closing(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout", "too slow")));

        assertRefusal(single(client.replies()), 408, "request_timeout");
        assertThat(client.isActive()).isFalse();
        assertThat(gateway.metric("gatehouse_requests_total", "route=\"none\"", "status_class=\"4xx\""))
                .isEqualTo(1.0);
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    private static Reply single(List<Reply> replies) {
        assertThat(replies).as("responses").hasSize(1);
        return replies.get(0);
    }

    private static void assertRefusal(Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        assertThat(reply.json("error")).isEqualTo(code);
        assertThat(reply.header("X-Request-ID")).as("X-Request-ID").matches("[0-9a-f]{32}")
                .isEqualTo(reply.json("request_id"));
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(reply.header("Connection")).isEqualToIgnoringCase("close");
    }
}
