package io.gatehouse.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.proxy.RequestIds;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Answers the requests of one admin connection, one at a time, so that pipelined requests are answered in order
 * however long each takes. The channel reads with auto-read off: more is read only when no request is waiting or
 * being answered, so what waits is bounded by one read's worth of pipelined requests. For a path under
 * {@code /admin}, authentication comes first, so a client without the token learns nothing, not even which API paths
 * exist; any other path is one of the dashboard's static files, which hold no data and are served to anyone.
 *
 * <p>Endpoints run on the admin worker thread, never on the event loop, and their answers are serialized there (or on
 * the reload thread) too; the event loop only authenticates, routes and writes.
 *
 * <p>Pipeline: {@code IdleStateHandler} → {@code HttpServerCodec} → {@code HttpServerKeepAliveHandler} →
 * {@link AdminBodyLimit} → this.
 */
final class AdminRequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AdminRequestHandler.class);
    private static final String WWW_AUTHENTICATE = "Bearer realm=\"gatehouse-admin\"";

    private static final byte[] NEWLINE = {'\n'};

    private final AdminRoutes routes;
    private final DashboardAssets dashboard;
    private final AdminAuthenticator authenticator;
    /** Runs the endpoints, so that no endpoint's work (rendering a large config, explaining) holds the loop. */
    private final Executor worker;
    /** Requests read while another was being answered, in order; released when the connection closes. */
    private final Queue<FullHttpRequest> waiting = new ArrayDeque<>();
    /** A request is being answered; an idle timeout then does not close the connection. */
    private boolean busy;

    AdminRequestHandler(AdminRoutes routes, DashboardAssets dashboard, AdminAuthenticator authenticator,
                        Executor worker) {
        this.routes = routes;
        this.dashboard = dashboard;
        this.authenticator = authenticator;
        this.worker = worker;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.read();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg); // the aggregator passes on nothing else
            return;
        }
        if (busy) {
            waiting.add(request);
        } else {
            serve(ctx, request);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!busy) {
            ctx.read(); // an incomplete request: read on (the aggregator asks too; one read more is harmless)
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        FullHttpRequest request;
        while ((request = waiting.poll()) != null) {
            request.release();
        }
        super.channelInactive(ctx);
    }

    private void answerWaiting(ChannelHandlerContext ctx) {
        FullHttpRequest next = waiting.poll();
        if (next != null) {
            serve(ctx, next);
        }
    }

    /** Answers {@code request} and releases it. */
    private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        busy = true;
        try {
            respond(ctx, request);
        } finally {
            request.release();
        }
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest request) {
        String requestId = RequestIds.of(request.headers());
        if (!request.decoderResult().isSuccess()) {
            write(ctx, encode(AdminResponse.error(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "the request could not be parsed as HTTP/1.1"), requestId), true);
            return;
        }
        QueryStringDecoder target = new QueryStringDecoder(request.uri());
        if (DashboardAssets.isDashboardPath(target.rawPath())) {
            write(ctx, dashboardFile(request, target.rawPath(), requestId), false);
            return;
        }
        String described = request.method() + " " + request.uri();
        answer(request, target).handle((response, failure) -> encode(failure == null ? response
                        : failed(failure, described, requestId), requestId))
                .thenAccept(encoded -> {
                    if (ctx.executor().inEventLoop()) {
                        write(ctx, encoded, false);
                    } else {
                        ctx.executor().execute(() -> write(ctx, encoded, false));
                    }
                });
    }

    /**
     * A file of the dashboard, from memory, here on the event loop; to anyone, since it holds no data. An unknown
     * path has the API's JSON 404.
     */
    private Encoded dashboardFile(FullHttpRequest request, String rawPath, String requestId) {
        if (!HttpMethod.GET.equals(request.method())) {
            return encode(AdminResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    "the dashboard's files support GET").withHeader(HttpHeaderNames.ALLOW, HttpMethod.GET), requestId);
        }
        DashboardAssets.Asset file = dashboard.find(rawPath);
        if (file == null) {
            return encode(AdminResponse.error(HttpResponseStatus.NOT_FOUND, "not_found",
                    "no admin endpoint or dashboard file has this path"), requestId);
        }
        HttpHeaders headers = new DefaultHttpHeaders().add(file.headers()).set("x-request-id", requestId);
        String ifNoneMatch = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null && ifNoneMatch.contains(file.etag())) {
            return new Encoded(HttpResponseStatus.NOT_MODIFIED, headers); // Content-Length stays: the file's
        }
        return new Encoded(HttpResponseStatus.OK, headers, file.content());
    }

    /** Authenticates and routes here; the endpoint itself runs on the admin worker. */
    private CompletionStage<AdminResponse> answer(FullHttpRequest request, QueryStringDecoder target) {
        if (!authenticator.admits(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            return CompletableFuture.completedFuture(AdminResponse.error(HttpResponseStatus.UNAUTHORIZED,
                    "unauthorized", "the admin API needs a valid token: Authorization: Bearer <token>")
                    .withHeader(HttpHeaderNames.WWW_AUTHENTICATE, WWW_AUTHENTICATE));
        }
        AdminRoutes.Found found = routes.find(request.method(), target.rawPath());
        if (found instanceof AdminRoutes.Matched matched) {
            AdminRequest adminRequest = new AdminRequest(matched.params(), target.parameters(),
                    request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    request.content().toString(StandardCharsets.UTF_8));
            try {
                return CompletableFuture.supplyAsync(() -> matched.endpoint().handle(adminRequest), worker)
                        .thenCompose(answer -> answer);
            } catch (RejectedExecutionException e) {
                return CompletableFuture.completedFuture(AdminResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "busy", "too many admin requests are waiting; try again shortly"));
            }
        }
        if (found instanceof AdminRoutes.WrongMethod wrong) {
            return CompletableFuture.completedFuture(AdminResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method_not_allowed", "this admin endpoint supports " + wrong.allow())
                    .withHeader(HttpHeaderNames.ALLOW, wrong.allow()));
        }
        return CompletableFuture.completedFuture(AdminResponse.error(HttpResponseStatus.NOT_FOUND, "not_found",
                "no admin endpoint has this path"));
    }

    /** A refusal the endpoint meant, or a failure: logged with the request ID, answered without its details. */
    private static AdminResponse failed(Throwable failure, String request, String requestId) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof AdminException refusal) {
            return refusal.response();
        }
        log.error("admin request {} failed (request_id {})", request, requestId, cause);
        return AdminResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "the admin API could not complete this request; the gateway's log has the details");
    }

    /**
     * A response serialized, off the event loop for a large one (a config of 10,000 routes is megabytes).
     *
     * @param body the parts of the body, in order
     */
    private record Encoded(HttpResponseStatus status, HttpHeaders headers, byte[]... body) {}

    private static Encoded encode(AdminResponse response, String requestId) {
        try {
            byte[] json = AdminJson.MAPPER.writeValueAsBytes(response.isError()
                    ? ((ObjectNode) response.body()).deepCopy().put("request_id", requestId) : response.body());
            HttpHeaders headers = new DefaultHttpHeaders().add(response.headers())
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length + 1)
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                    .set("x-request-id", requestId);
            return new Encoded(response.status(), headers, json, NEWLINE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private void write(ChannelHandlerContext ctx, Encoded response, boolean close) {
        if (!ctx.channel().isActive()) {
            return;
        }
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                Unpooled.wrappedBuffer(response.body()), response.headers(), EmptyHttpHeaders.INSTANCE);
        if (close) {
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(http).addListener((ChannelFutureListener) written -> {
            busy = false;
            if (!written.isSuccess() || close) {
                written.channel().close();
            } else if (!waiting.isEmpty()) {
                ctx.executor().execute(() -> answerWaiting(ctx)); // a task, not recursion: many may be waiting
            } else {
                ctx.read();
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent && !busy) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
