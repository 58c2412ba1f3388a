package io.gatehouse.pool;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;

import java.net.ProtocolException;

/**
 * Makes a stream's decoded response read like one from {@code HttpClientCodec}, right after
 * {@code Http2StreamFrameToHttpObjectCodec} in a stream's pipeline. A response that is one HEADERS frame with
 * END_STREAM (trailers-only, or an interim 1xx) decodes to a full message; it goes on as its head, then an empty last
 * part, so the exchange always relays a head and a last part (a downstream HTTP/2 stream can merge the two back into
 * one HEADERS frame with END_STREAM). The codec's own {@code x-http2-stream-id} header is dropped, and a 101, which
 * HTTP/2 forbids (RFC 9113 §8.6), fails the stream.
 */
final class Http2ResponseAdapter extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws ProtocolException {
        if (!(msg instanceof HttpResponse response)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            ReferenceCountUtil.release(msg);
            throw new ProtocolException("101 Switching Protocols on an HTTP/2 stream");
        }
        response.headers().remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
        if (!(msg instanceof FullHttpResponse full)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ctx.fireChannelRead(new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers()));
        ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders())); // takes its content
    }
}
