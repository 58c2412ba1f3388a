package io.gatehouse.server.http2;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.netty.util.AsciiString;

import java.util.Arrays;

/**
 * In a stream's pipeline, after {@code Http2StreamFrameToHttpObjectCodec}: makes the request it decoded look as the
 * request path expects one, whatever carried it:
 * <ul>
 *   <li>a HEADERS frame that ends the stream is decoded as a {@link FullHttpRequest}; it goes on as a head and then
 *   its (empty) last part, as an HTTP/1.1 request without a body does;</li>
 *   <li>the codec's {@code x-http2-*} extension headers (stream id, scheme, path) and any a client sent itself are
 *   removed, so they never reach a backend (the connection's TLS state says whether it is HTTPS).</li>
 * </ul>
 * (The codec turns {@code :authority} into {@code Host}, and refuses a request whose {@code Host} differs from it.)
 */
@ChannelHandler.Sharable
final class StreamRequests extends ChannelInboundHandlerAdapter {
    static final StreamRequests INSTANCE = new StreamRequests();
    private static final AsciiString[] EXTENSION_HEADERS = Arrays.stream(ExtensionHeaderNames.values())
            .map(ExtensionHeaderNames::text).toArray(AsciiString[]::new);

    private StreamRequests() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest head)) {
            ctx.fireChannelRead(msg);
            return;
        }
        stripExtensionHeaders(head.headers());
        if (msg instanceof FullHttpRequest full) {
            ctx.fireChannelRead(new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(),
                    full.headers()));
            ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            return;
        }
        ctx.fireChannelRead(head);
    }

    private static void stripExtensionHeaders(HttpHeaders headers) {
        for (AsciiString name : EXTENSION_HEADERS) {
            headers.remove(name);
        }
    }
}
