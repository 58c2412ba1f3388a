package io.gatehouse.server.http2;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/**
 * PHASE 1 ONLY, replaced by the per-stream handler that proxies (routing, security chain, exchange): answers every
 * stream, once its request has ended, with 503 {@code http2_not_proxied}, so the connection-level behaviour (limits,
 * floods, GOAWAY, idle) can be tested. Nothing of the request is read beyond its end.
 */
@ChannelHandler.Sharable
final class PlaceholderStreamHandler extends ChannelInboundHandlerAdapter {
    static final PlaceholderStreamHandler INSTANCE = new PlaceholderStreamHandler();
    private static final byte[] BODY = ("{\"error\":\"http2_not_proxied\","
            + "\"message\":\"HTTP/2 requests are not proxied yet\"}").getBytes(StandardCharsets.UTF_8);

    private PlaceholderStreamHandler() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean ended = msg instanceof Http2HeadersFrame headers && headers.isEndStream()
                || msg instanceof Http2DataFrame data && data.isEndStream();
        ReferenceCountUtil.release(msg);
        if (ended) {
            Http2Headers head = new DefaultHttp2Headers()
                    .status(HttpResponseStatus.SERVICE_UNAVAILABLE.codeAsText())
                    .add("content-type", "application/json")
                    .addInt("content-length", BODY.length);
            ctx.write(new DefaultHttp2HeadersFrame(head));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(ctx.alloc().buffer(BODY.length).writeBytes(BODY), true));
        }
    }
}
