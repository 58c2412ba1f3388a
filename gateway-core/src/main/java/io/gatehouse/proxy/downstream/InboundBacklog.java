package io.gatehouse.proxy.downstream;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * Decoded client messages the connection has not handed on yet, bounded: the channel reads on its own
 * ({@code autoRead}) while the backlog is small and stops while it is full. This is the client side's flow
 * control: a request body waits here while its upstream connection is busy, a pipelined request waits here
 * for the previous response, and a client sending faster than the backend takes it is paused at the socket.
 * Keeping read interest registered in the steady state spares the selector a change per request; a pause takes
 * effect after the current read, so the bound is exceeded by one read's worth at most.
 */
final class InboundBacklog {
    private static final int MAX_MESSAGES = 32;
    private static final long MAX_BYTES = 64 * 1024;

    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private Channel channel;
    private long bytes;
    private int lastParts;
    private boolean reading = true;
    /** Reading stays paused whatever the room: the request asked to leave HTTP (a WebSocket upgrade). */
    private boolean held;

    void attach(Channel channel) {
        this.channel = channel;
    }

    void add(Object msg) {
        queue.add(msg);
        bytes += sizeOf(msg);
        lastParts += lastPart(msg);
        adjustReading();
    }

    /** The oldest message, or {@code null} when empty. */
    Object poll() {
        Object msg = queue.poll();
        if (msg != null) {
            bytes -= sizeOf(msg);
            lastParts -= lastPart(msg);
            adjustReading();
        }
        return msg;
    }

    void releaseAll() {
        Object msg;
        while ((msg = queue.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        bytes = 0;
        lastParts = 0;
    }

    /**
     * Whether a request's last part waits here. Messages are handed on in order, so right after a request head was
     * handed on this says whether that request has been read in full.
     */
    boolean holdsLastPart() {
        return lastParts > 0;
    }

    /** Stops reading for good; the connection becomes a tunnel or closes. */
    void hold() {
        held = true;
        adjustReading();
    }

    private void adjustReading() {
        boolean room = !held && queue.size() < MAX_MESSAGES && bytes < MAX_BYTES;
        if (room != reading) {
            reading = room;
            channel.config().setAutoRead(room);
        }
    }

    private static int lastPart(Object msg) {
        return msg instanceof LastHttpContent ? 1 : 0;
    }

    private static long sizeOf(Object msg) {
        return msg instanceof HttpContent content ? content.content().readableBytes() : 0;
    }
}
