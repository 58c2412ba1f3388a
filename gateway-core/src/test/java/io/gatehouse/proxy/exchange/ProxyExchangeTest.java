package io.gatehouse.proxy.exchange;

import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.ClientTls;
import io.gatehouse.context.RequestContext;
import io.gatehouse.proxy.EmbeddedGateway;
import io.gatehouse.proxy.GatewaySnapshot;
import io.gatehouse.proxy.RouteHandle;
import io.gatehouse.route.RouteResult;
import io.gatehouse.security.Principal;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProxyExchange} against a {@link FakeDownstream}: what the exchange asks of its client side, with no client
 * connection at all, to real backends on a real event loop. That the same exchange serves an HTTP/1.1 connection
 * and an HTTP/2 stream rests on this seam.
 */
@SuppressWarnings("unchecked") // the router's matches carry the snapshot's RouteHandle
class ProxyExchangeTest {
    private static final MultiThreadIoEventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1,
            NioIoHandler.newFactory());
    private final EventLoop loop = GROUP.next();
    private final MockWebServer backend = new MockWebServer();
    private EmbeddedGateway gateway;

    @BeforeEach
    void startBackend() throws IOException {
        backend.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
    }

    @AfterAll
    static void stopLoop() {
        GROUP.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void sendsTheBackendsHeadBodyAndTrailersToTheDownstream() throws Exception {
        backend.enqueue(new MockResponse.Builder().code(200).addHeader("X-Backend", "b1")
                .chunkedBody("hello, downstream", 5).trailers(Headers.of("grpc-status", "0")).build());
        gateway = EmbeddedGateway.start(route("http://127.0.0.1:" + backend.getPort()));

        FakeDownstream downstream = proxy(get("/items"));

        assertThat(downstream.outcome.get(5, TimeUnit.SECONDS)).isEqualTo("end");
        assertThat(downstream.head.status().code()).isEqualTo(200);
        assertThat(downstream.head.headers().get("X-Backend")).isEqualTo("b1");
        assertThat(downstream.head.headers().get(HttpHeaderNames.VIA)).contains("gatehouse");
        assertThat(downstream.body.toString(StandardCharsets.UTF_8)).isEqualTo("hello, downstream");
        assertThat(downstream.trailers.get("grpc-status")).isEqualTo("0");
        RecordedRequest received = backend.takeRequest(5, TimeUnit.SECONDS);
        assertThat(received.getTarget()).isEqualTo("/items");
        assertThat(received.getHeaders().get("X-Request-Id")).isEqualTo("test-request");
    }

    @Test
    void aBackendThatCannotBeReachedIsRefusedThroughTheDownstreamWithNoHeadSent() throws Exception {
        gateway = EmbeddedGateway.start(route("http://127.0.0.1:" + closedPort()));

        FakeDownstream downstream = proxy(get("/items"));

        assertThat(downstream.outcome.get(5, TimeUnit.SECONDS)).isEqualTo("refused");
        assertThat(downstream.refusal.status().code()).isEqualTo(502);
        assertThat(downstream.head).isNull();
    }

    @Test
    void aRetriedAttemptIsInvisibleToTheDownstream() throws Exception {
        backend.enqueue(new MockResponse.Builder().code(503).body("busy").build());
        backend.enqueue(new MockResponse.Builder().code(200).body("second").build());
        gateway = EmbeddedGateway.start(route("http://127.0.0.1:" + backend.getPort())
                + "    retry: {attempts: 2, on: [503], backoff: {base: 1ms, max: 1ms}}\n");

        FakeDownstream downstream = proxy(get("/items"));

        assertThat(downstream.outcome.get(5, TimeUnit.SECONDS)).isEqualTo("end");
        assertThat(downstream.head.status().code()).isEqualTo(200);
        assertThat(downstream.body.toString(StandardCharsets.UTF_8)).isEqualTo("second");
        assertThat(backend.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aResponseCutOffAfterItsHeadWentOutAbortsTheDownstream() throws Exception {
        backend.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Length", "1000000")
                .body("x".repeat(200_000)).onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build());
        gateway = EmbeddedGateway.start(route("http://127.0.0.1:" + backend.getPort()));

        FakeDownstream downstream = proxy(get("/items"));

        assertThat(downstream.outcome.get(5, TimeUnit.SECONDS)).isIn("aborted", "refused");
        assertThat(downstream.trailers).isNull(); // never passed off as a whole response
    }

    private static HttpRequest get(String path) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        head.headers().set(HttpHeaderNames.HOST, "gateway.test");
        return head;
    }

    /** What the client side does for an admitted request (route, then exchange), with the fake as that side. */
    private FakeDownstream proxy(HttpRequest head) {
        FakeDownstream downstream = new FakeDownstream(loop);
        loop.execute(() -> {
            GatewaySnapshot snapshot = gateway.runtime().snapshot();
            ClientPeer peer = snapshot.forwardedHeaders().peer(InetAddress.getLoopbackAddress(), ClientTls.PLAIN);
            RequestContext request = new RequestContext(peer, head.method().name(), head.uri(), "test-request");
            RouteResult.Matched<RouteHandle> matched = (RouteResult.Matched<RouteHandle>) snapshot.router()
                    .match(head.method().name(), null, head.uri(), null, head.headers());
            RoutedRequest routed = new RoutedRequest(matched, head.uri(), null, "gateway.test", false);
            ProxyExchange exchange = new ProxyExchange(downstream, gateway.runtime(), snapshot, routed, head,
                    request, Principal.ANONYMOUS, null);
            exchange.start();
            exchange.onRequestContent(LastHttpContent.EMPTY_LAST_CONTENT);
        });
        return downstream;
    }

    private static String route(String backendUrl) {
        return """
                pools:
                  items:
                    backends: ["%s"]
                routes:
                  - id: items
                    match: {path_prefix: /items}
                    pool: items
                """.formatted(backendUrl);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
