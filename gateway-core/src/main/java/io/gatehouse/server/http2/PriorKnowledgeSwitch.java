package io.gatehouse.server.http2;

import io.gatehouse.proxy.GatewayRuntime;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * On the plain port, just before the HTTP/1.x codec: looks at the first bytes of the connection. The HTTP/2 client
 * connection preface ({@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}, RFC 9113 §3.4) means h2c with prior knowledge, and
 * the pipeline turns to HTTP/2 ({@link Http2Pipeline}); any other byte means HTTP/1.x, which the pipeline already
 * speaks. Either way this handler leaves, handing on what it read (at most the preface's 24 bytes are held while a
 * split preface arrives; the idle and request-head timeouts before it still apply).
 */
public final class PriorKnowledgeSwitch extends ByteToMessageDecoder {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final GatewayRuntime runtime;

    public PriorKnowledgeSwitch(GatewayRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = Math.min(in.readableBytes(), PREFACE.length);
        for (int i = 0; i < length; i++) {
            if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
                ctx.pipeline().remove(this); // HTTP/1.x
                return;
            }
        }
        if (length == PREFACE.length) {
            Http2Pipeline.switchTo(ctx.pipeline(), runtime);
            ctx.pipeline().remove(this); // the codec reads the preface itself
        }
    }
}
