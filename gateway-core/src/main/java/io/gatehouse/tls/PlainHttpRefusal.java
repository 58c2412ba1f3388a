package io.gatehouse.tls;

import io.gatehouse.metrics.TlsHandshakeCounters;
import io.gatehouse.metrics.TlsHandshakeCounters.Result;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;

/**
 * First on a TLS connection: looks at the first byte the client sends. A TLS record starts with its content type
 * (22, a handshake), an HTTP request with its method's first letter: plain HTTP sent to the HTTPS port gets a
 * plaintext 400 saying so and the connection closes, rather than a TLS alert the client cannot show. Anything else
 * goes on to the TLS handler, and this handler leaves the pipeline. (A refused connection's handshake is counted
 * once, as {@code not_tls}: the TLS handler never sees a byte.)
 */
final class PlainHttpRefusal extends ChannelInboundHandlerAdapter {
    private static final String BODY = "{\"error\":\"http_to_https_port\",\"message\":\"this port speaks HTTPS:"
            + " use an https:// URL\"}";
    private static final byte[] RESPONSE = ("HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: " + BODY.length() + "\r\n"
            + "Connection: close\r\n\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);

    private final TlsHandshakeCounters counters;
    private boolean refused;

    PlainHttpRefusal(TlsHandshakeCounters counters) {
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg); // the rest of the plain request, read before the close
            return;
        }
        if (msg instanceof ByteBuf bytes && bytes.isReadable() && isLetter(bytes.getByte(bytes.readerIndex()))) {
            bytes.release();
            refused = true;
            counters.count(Result.NOT_TLS);
            ctx.writeAndFlush(ctx.alloc().buffer(RESPONSE.length).writeBytes(RESPONSE))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(msg);
    }

    private static boolean isLetter(byte b) {
        return b >= 'A' && b <= 'Z';
    }
}
