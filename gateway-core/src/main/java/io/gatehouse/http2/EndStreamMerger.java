package io.gatehouse.http2;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.nio.channels.ClosedChannelException;

/**
 * Sits right after {@code Http2StreamFrameToHttpObjectCodec} on an HTTP/2 stream channel and merges a message head
 * written right before an empty last part (no bytes, no trailers) into one full message, which the codec sends as a
 * single HEADERS frame with END_STREAM instead of HEADERS and an empty DATA frame. The proxy relays every message as
 * a head and a last part, so this keeps a bodiless request one frame, and a trailers-only response (gRPC's way to
 * answer with only a status) what it was: grpc-java's client takes HEADERS then an empty DATA with END_STREAM
 * for a protocol error (INTERNAL, losing the backend's status and details). Used on both sides: upstream streams
 * ({@code pool.Http2Channels}) and client streams ({@code server.http2.StreamInitializer}). A head is held only until
 * the next write or flush.
 */
public final class EndStreamMerger extends ChannelOutboundHandlerAdapter {
    private HttpMessage heldHead;
    private ChannelPromise heldPromise;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (heldHead != null) {
            HttpMessage head = heldHead;
            ChannelPromise headPromise = heldPromise;
            heldHead = null;
            heldPromise = null;
            if (msg instanceof LastHttpContent last && !(msg instanceof HttpMessage) && !last.content().isReadable()
                    && last.trailingHeaders().isEmpty()) {
                last.release();
                ctx.write(full(head), merge(ctx, headPromise, promise));
                return;
            }
            ctx.write(head, headPromise);
        }
        if (msg instanceof HttpMessage head && !(msg instanceof FullHttpMessage)) {
            heldHead = head;
            heldPromise = promise;
        } else {
            ctx.write(msg, promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (heldHead != null) {
            ctx.write(heldHead, heldPromise);
            heldHead = null;
            heldPromise = null;
        }
        ctx.flush();
    }

    /** A head still held when the stream closes is never sent: its writer hears so. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (heldHead != null) {
            ReferenceCountUtil.release(heldHead);
            heldHead = null;
            heldPromise.tryFailure(new ClosedChannelException());
            heldPromise = null;
        }
        ctx.close(promise);
    }

    private static FullHttpMessage full(HttpMessage head) {
        if (head instanceof HttpRequest request) {
            return new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                    Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
        }
        HttpResponse response = (HttpResponse) head;
        return new DefaultFullHttpResponse(response.protocolVersion(), response.status(), Unpooled.EMPTY_BUFFER,
                response.headers(), EmptyHttpHeaders.INSTANCE);
    }

    /** One promise for the merged write that completes both writers' promises. */
    private static ChannelPromise merge(ChannelHandlerContext ctx, ChannelPromise first, ChannelPromise second) {
        if (first.isVoid()) {
            return second;
        }
        if (second.isVoid()) {
            return first;
        }
        ChannelPromise both = ctx.newPromise();
        both.addListener(f -> {
            if (f.isSuccess()) {
                first.trySuccess();
                second.trySuccess();
            } else {
                first.tryFailure(f.cause());
                second.tryFailure(f.cause());
            }
        });
        return both;
    }
}
