package io.gatehouse.server.http2;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testing.H2FrameClient;
import io.gatehouse.testing.H2FrameClient.Data;
import io.gatehouse.testing.H2FrameClient.Headers;
import io.gatehouse.testing.H2FrameClient.Reset;
import io.gatehouse.testing.TestGateway;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Settings;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client timeouts of {@code server.timeouts} per HTTP/2 stream: a request body that stops coming is refused
 * with 408, a stream that grants no window for its response is reset, and neither touches the connection's other
 * streams.
 */
class Http2StreamTimeoutsTest {
    private static final int BIG = 1024 * 1024;

    private MockWebServer backend;
    private TestGateway gateway;

    @BeforeEach
    void setUp() throws IOException {
        backend = new MockWebServer();
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200)
                        .body(request.getTarget().equals("/big") ? "x".repeat(BIG) : "ok").build();
            }
        });
        backend.start(0);
        gateway = TestGateway.start("""
                server:
                  timeouts: {request_body: 300ms, send: 300ms}
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: http://127.0.0.1:%d
                """.formatted(backend.getPort()));
    }

    @AfterEach
    void tearDown() {
        gateway.close();
        backend.close();
    }

    private double clientTimeouts(String kind) {
        return gateway.metric("gatehouse_client_timeouts_total", "kind=\"" + kind + "\"");
    }

    @Test
    void aRequestBodyThatStopsComingIsRefusedWith408AndItsStreamEnded() throws Exception {
        try (H2FrameClient client = H2FrameClient.connect(gateway.port())) {
            client.headers(1, H2FrameClient.post("/upload"), false);
            client.data(1, "the start of a body", false);

            Headers answer = client.await(Headers.class, h -> h.streamId() == 1);

            assertThat(answer.headers().status().toString()).isEqualTo("408");
            String body = client.await(Data.class, d -> d.streamId() == 1 && d.endStream()).text();
            assertThat(new ObjectMapper().readTree(body).get("error").asText()).isEqualTo("client_body_timeout");
            assertThat(client.await(Reset.class, r -> r.streamId() == 1).errorCode())
                    .isEqualTo(Http2Error.NO_ERROR.code());
            assertThat(clientTimeouts("body")).isEqualTo(1);
            client.headers(3, H2FrameClient.get("/after"), true); // the connection carries on
            assertThat(client.await(Headers.class, h -> h.streamId() == 3).headers().status().toString())
                    .isEqualTo("200");
        }
        assertThat(backend.getRequestCount()).isEqualTo(1); // the small body was never sent on: it never ended
    }

    @Test
    void aStreamThatTakesNoneOfItsResponseIsResetWhileItsSiblingsAreServed() {
        Http2Settings smallWindow = new Http2Settings().initialWindowSize(16 * 1024);
        try (H2FrameClient client = H2FrameClient.connect(gateway.port(), smallWindow, 64 * 1024 * 1024)) {
            client.headers(1, H2FrameClient.get("/big"), true);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.bodyBytes(1) == 16 * 1024);

            Reset reset = client.await(Reset.class, r -> r.streamId() == 1);

            assertThat(reset.errorCode()).isEqualTo(Http2Error.CANCEL.code());
            assertThat(clientTimeouts("send")).isEqualTo(1);
            client.headers(3, H2FrameClient.get("/small"), true);
            assertThat(client.await(Data.class, d -> d.streamId() == 3 && d.endStream()).text()).isEqualTo("ok");
        }
    }
}
