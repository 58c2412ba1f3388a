package io.gatehouse.grpc;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseNotifier;

/**
 * Keeps a gRPC trailers-only response one HEADERS frame with END_STREAM on its way to an HTTP/2 client. The exchange
 * relays every response as a head and then its end, and a backend's trailers-only answer arrives that way too; the
 * stream codec would frame the two as HEADERS and then an empty DATA frame with END_STREAM, which grpc-java's client
 * takes for a protocol error (INTERNAL, "unexpected EOS on DATA frame"), losing the backend's status and details.
 * So a head that carries {@code grpc-status} (only a trailers-only head does) is held, and if an empty end follows
 * it goes out joined with it as a full response, which the codec frames as one HEADERS frame ending the stream.
 * Anything else, or a flush, lets the held head go as it was.
 *
 * <p>Sits in an HTTP/2 stream's pipeline just after {@code Http2StreamFrameToHttpObjectCodec}; other responses pass
 * through untouched.
 */
public final class TrailersOnlyFraming extends ChannelDuplexHandler {
    private HttpResponse heldHead;
    private ChannelPromise heldPromise;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (heldHead != null) {
            if (msg instanceof LastHttpContent last && !last.content().isReadable()
                    && last.trailingHeaders().isEmpty()) {
                last.release();
                HttpResponse head = heldHead;
                heldHead = null;
                FullHttpResponse whole = new DefaultFullHttpResponse(head.protocolVersion(), head.status(),
                        Unpooled.EMPTY_BUFFER, head.headers(), last.trailingHeaders());
                ctx.write(whole, joined(ctx, promise));
                return;
            }
            writeHeld(ctx);
        } else if (isTrailersOnlyHead(msg)) {
            heldHead = (HttpResponse) msg;
            heldPromise = promise;
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writeHeld(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        release();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private static boolean isTrailersOnlyHead(Object msg) {
        return msg instanceof HttpResponse head && !(msg instanceof LastHttpContent)
                && head.headers().contains(GrpcHeaders.GRPC_STATUS);
    }

    private void writeHeld(ChannelHandlerContext ctx) {
        if (heldHead != null) {
            HttpResponse head = heldHead;
            heldHead = null;
            ctx.write(head, heldPromise);
        }
    }

    /** One promise for the joined write that completes both the held head's and the end's. */
    private ChannelPromise joined(ChannelHandlerContext ctx, ChannelPromise promise) {
        ChannelPromise head = heldPromise;
        heldPromise = null;
        if (head.isVoid()) {
            return promise;
        }
        if (promise.isVoid()) {
            return head;
        }
        ChannelPromise both = ctx.newPromise();
        both.addListener(new PromiseNotifier<>(head, promise));
        return both;
    }

    private void release() {
        if (heldHead != null) {
            ReferenceCountUtil.release(heldHead);
            heldHead = null;
            if (!heldPromise.isVoid()) {
                heldPromise.tryFailure(new IllegalStateException("stream closed before the response was written"));
            }
            heldPromise = null;
        }
    }
}
