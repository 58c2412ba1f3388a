package io.gatehouse.proxy.exchange;

import io.gatehouse.grpc.GrpcCall;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.function.Consumer;

/**
 * The request body the gateway holds in memory, up to the route's {@code request_buffering} bound. A body that fits
 * (by its {@code Content-Length}, or a chunked one so far) is read whole before the first attempt, then sent to each
 * attempt's connection in turn: the first send and any retry's are the same bytes. A larger body is not kept: what
 * was read of it before its attempt began is sent once and let go, the rest streams, and once any of it was sent
 * the request cannot be replayed (a retry must never send a partial or empty body). The body of a method that is
 * never sent twice is let go once sent.
 *
 * <p>A gRPC call's body always streams, never read whole first: the messages of a bidirectional call may each wait
 * for a reply. When the call may be retried, what streams is kept as it goes, up to the same bound, so that a retry
 * replays what was sent so far and the rest streams on after it.
 *
 * <p>Parts are kept as read, without a copy (a small body usually arrives in one part, a large one in reads of
 * many kilobytes), while the read buffers they pin hold at most twice the bytes kept plus the last read's buffer.
 * Past that, e.g. a body trickled a byte per read, everything is copied into one buffer, so the body holds its size
 * in memory, not one read buffer per byte.
 */
final class BodyReplay {
    /** Parts held as read at most; more are copied into one buffer like a trickle. */
    private static final int MAX_PARTS_AS_READ = 64;

    private final ByteBufAllocator alloc;
    private final long limit;
    private final long declaredLength;
    private final boolean resendable;
    /** A gRPC call that may be retried: parts are kept as they stream (see the class comment). */
    private final boolean keepsStreamed;
    private ByteBuf body;
    private boolean copied;
    private long keptBytes;
    /** The capacity of the read buffers the parts held as read pin, and the last of those buffers. */
    private long pinnedBytes;
    private ByteBuf lastPinned;
    private HttpHeaders trailers;
    private boolean buffering;
    private boolean complete;
    private boolean outgrown;
    private boolean sentAny;

    /**
     * @param limit      the route's {@code request_buffering}: body bytes to hold at most; 0 holds none
     * @param head       the client's request head, before it is prepared for the backend
     * @param resendable whether the request may be sent again once it reached a backend (its method, or an HTTP/2
     *                   pool's resend of a stream the backend never processed)
     * @param grpc       the gRPC call the request is: its body streams at once, and is kept as it streams when it
     *                   may be sent again (as above, or after a gRPC status its route retries)
     */
    BodyReplay(ByteBufAllocator alloc, long limit, HttpRequest head, boolean resendable, GrpcCall grpc) {
        this.alloc = alloc;
        this.limit = limit;
        this.declaredLength = HttpUtil.getContentLength(head, -1L);
        this.resendable = resendable || grpc.mayRetry();
        this.outgrown = declaredLength > limit;
        this.keepsStreamed = grpc.isGrpc() && this.resendable && limit > 0;
        this.buffering = !grpc.isGrpc() && limit > 0 && !outgrown
                && (declaredLength > 0 || HttpUtil.isTransferEncodingChunked(head));
    }

    /** Whether the body is still being read before the first attempt: it has a body, and it fits so far. */
    boolean buffers() {
        return buffering;
    }

    /** Takes a body part read before the first attempt; buffering ends with the body's end, or past the bound. */
    void keep(HttpContent part) {
        try {
            hold(part, part.content()); // past the bound still sent, once: the start of a body that streams
            buffering = !complete && !outgrown;
        } finally {
            part.release();
        }
    }

    /** Holds {@code bytes}, the content of {@code part} or a view of it, and notes the body's end. */
    private void hold(HttpContent part, ByteBuf bytes) {
        keptBytes += bytes.readableBytes();
        outgrown = keptBytes > limit;
        if (bytes.isReadable()) {
            append(bytes);
        }
        if (part instanceof LastHttpContent last) {
            complete = true;
            trailers = last.trailingHeaders().isEmpty() ? null : last.trailingHeaders().copy();
        }
    }

    private void append(ByteBuf bytes) {
        if (!copied && keepsAsRead(bytes)) {
            if (body == null) {
                body = bytes.retain();
            } else {
                CompositeByteBuf parts = body instanceof CompositeByteBuf held ? held
                        : alloc.compositeBuffer(MAX_PARTS_AS_READ).addComponent(true, body);
                body = parts.addComponent(true, bytes.retain());
            }
            return;
        }
        if (!copied) {
            ByteBuf whole = alloc.buffer((int) Math.max(declaredLength, body.readableBytes() + bytes.readableBytes()));
            whole.writeBytes(body);
            body.release();
            body = whole;
            copied = true;
        }
        body.writeBytes(bytes);
    }

    /** Whether this part, too, can be held as read (see the class comment); notes what it pins if so. */
    private boolean keepsAsRead(ByteBuf bytes) {
        if (body instanceof CompositeByteBuf parts && parts.numComponents() >= MAX_PARTS_AS_READ) {
            return false;
        }
        ByteBuf readBuffer = bytes; // a part is a slice of the buffer its read filled, which parts of one read share
        while (readBuffer.unwrap() != null) {
            readBuffer = readBuffer.unwrap();
        }
        long pinned = readBuffer == lastPinned ? pinnedBytes : pinnedBytes + readBuffer.capacity();
        // keptBytes counts this part already; the buffer it came in may hold more of the body, still to come
        if (body != null && pinned > 2 * keptBytes + readBuffer.capacity()) {
            return false;
        }
        pinnedBytes = pinned;
        lastPinned = readBuffer;
        return true;
    }

    /**
     * Sends a fresh duplicate of what is held to a new attempt's connection, as one part.
     *
     * @return whether that was the body's end
     */
    boolean replay(Consumer<HttpContent> writer) {
        boolean end = complete;
        if (body != null || complete) {
            sentAny = true;
            ByteBuf bytes = body == null ? Unpooled.EMPTY_BUFFER : body.retainedDuplicate();
            if (!complete) {
                writer.accept(new DefaultHttpContent(bytes));
            } else if (body == null && trailers == null) {
                writer.accept(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                writer.accept(trailers == null ? new DefaultLastHttpContent(bytes)
                        : new DefaultLastHttpContent(bytes, trailers));
            }
        }
        if (outgrown || !resendable) {
            release();
        }
        return end;
    }

    /** Called with each part that streams to the current attempt, just before it goes upstream. */
    void sent(HttpContent part) {
        sentAny = true;
        if (keepsStreamed && !outgrown) {
            hold(part, part.content().duplicate()); // a view: the write upstream moves the part's reader index
            if (outgrown) {
                release();
            }
        } else if (part instanceof LastHttpContent last && !last.content().isReadable()
                && last.trailingHeaders().isEmpty() && body == null && !outgrown) {
            complete = true; // the usual end of a GET: replayed as EMPTY_LAST_CONTENT
        } else {
            release(); // a streamed body is not held, so it cannot be sent again
        }
    }

    /** Whether every part sent so far can be sent again. */
    boolean canReplay() {
        return !sentAny || !outgrown;
    }

    /** Lets the held body go; nothing can be replayed afterwards. */
    void release() {
        if (body != null) {
            body.release();
            body = null;
        }
        lastPinned = null;
        trailers = null;
        buffering = false;
        outgrown = true;
        complete = false;
    }
}
