package io.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gatehouse.config.AdminConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler on an {@link EmbeddedChannel}: where endpoints run, and the order of pipelined answers. */
class AdminRequestHandlerTest {
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-admin-worker"));
    private final List<String> endpointThreads = new CopyOnWriteArrayList<>();
    private final CompletableFuture<AdminResponse> slow = new CompletableFuture<>();
    private final AdminRoutes routes = AdminRoutes.builder()
            .add(HttpMethod.GET, "/admin/slow", request -> {
                endpointThreads.add(Thread.currentThread().getName());
                return slow;
            })
            .add(HttpMethod.GET, "/admin/fast", request -> {
                endpointThreads.add(Thread.currentThread().getName());
                return CompletableFuture.completedFuture(AdminResponse.ok(JsonNodeFactory.instance.textNode("fast")));
            })
            .build();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        worker.shutdownNow();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void endpointsRunOffTheEventLoopAndPipelinedAnswersKeepTheirOrder() throws Exception {
        channel.config().setAutoRead(false);
        channel.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(), new AdminBodyLimit(),
                new AdminRequestHandler(routes, DashboardAssets.load(), new AdminAuthenticator(
                        () -> new AdminConfig("127.0.0.1", 0, null, true)), worker));
        channel.pipeline().fireChannelActive();

        channel.writeInbound(Unpooled.copiedBuffer("GET /admin/slow HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /admin/fast HTTP/1.1\r\nHost: a\r\n\r\n", StandardCharsets.US_ASCII));
        awaitEndpointCalls(1);
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).as("no answer before the first request's").isNull();

        slow.complete(AdminResponse.ok(JsonNodeFactory.instance.textNode("slow")));
        assertThat(bodyOf(awaitOutbound())).endsWith("\"slow\"\n");
        awaitEndpointCalls(2);
        assertThat(bodyOf(awaitOutbound())).endsWith("\"fast\"\n");
        assertThat(endpointThreads).containsOnly("test-admin-worker");
    }

    private void awaitEndpointCalls(int calls) {
        await().atMost(Duration.ofSeconds(5)).until(() -> endpointThreads.size() >= calls);
    }

    /** Runs the channel's tasks (answers hop back to the loop) until a response is written. */
    private ByteBuf awaitOutbound() {
        return await().pollInSameThread().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(5)).until(() -> {
            channel.runPendingTasks();
            return channel.<ByteBuf>readOutbound();
        }, Objects::nonNull);
    }

    private static String bodyOf(ByteBuf response) {
        try {
            return response.toString(StandardCharsets.US_ASCII);
        } finally {
            response.release();
        }
    }
}
