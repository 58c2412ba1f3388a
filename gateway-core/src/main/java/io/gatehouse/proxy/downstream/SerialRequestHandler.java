package io.gatehouse.proxy.downstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The client side's flow control, for a handler that serves one request at a time: every decoded message goes to
 * a bounded {@link InboundBacklog}, which is handed on only while the subclass wants a message (a request head
 * when idle, body parts while the upstream can take them). Pipelined requests thus wait in the backlog until the
 * previous response is complete, and are answered in order.
 *
 * <p>Netty 4.2's {@code FlowControlHandler} is not used: with reads requested from inside {@code channelRead} it
 * stalled request bodies after a few reads.
 */
abstract class SerialRequestHandler extends ChannelInboundHandlerAdapter {
    private final InboundBacklog backlog = new InboundBacklog();
    private boolean dispatching;
    private boolean inReadBatch;
    private ClientTimeouts timeouts;

    /** Whether the current state takes a message now. */
    abstract boolean wantsMessage();

    /** Takes one message, which it must pass on or release. */
    abstract void dispatch(Object msg);

    /** After the last message of one socket read (e.g. to flush what it produced upstream). */
    abstract void readBatchComplete();

    /**
     * Something threw while serving: the codec or a later handler ({@link #exceptionCaught}), or a dispatch, also
     * one run from a write listener or a task, where the exception would otherwise be logged and dropped and the
     * connection left hanging. The request being served must still be answered, or the connection closed.
     */
    abstract void failed(Throwable cause);

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        backlog.attach(ctx.channel());
        timeouts = ctx.pipeline().get(ClientTimeouts.class);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inReadBatch = true;
        if (msg instanceof LastHttpContent && timeouts != null) { // an HTTP/2 stream has no connection timeouts
            timeouts.bodyRead(); // read in full, though maybe handed on later
        }
        backlog.add(msg);
        resume();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed(cause);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inReadBatch = false;
        readBatchComplete();
    }

    /**
     * The timeouts of the client's reads, which this handler tells when a request has been read in full; null on an
     * HTTP/2 stream, whose connection has none of HTTP/1.x's.
     */
    final ClientTimeouts timeouts() {
        return timeouts;
    }

    /**
     * Stops reading from the client until the connection closes or leaves HTTP: a WebSocket upgrade request waits
     * for the backend's answer, and no byte sent after it may be parsed as HTTP meanwhile.
     */
    final void holdReading() {
        backlog.hold();
    }

    /** Releases what was never handed on; for when the connection closes. */
    final void releaseBacklog() {
        backlog.releaseAll();
    }

    /** Whether a request's last part was read and not yet handed on (see {@link InboundBacklog#holdsLastPart}). */
    final boolean backlogHoldsLastPart() {
        return backlog.holdsLastPart();
    }

    /** True between a socket read's first message and its end, when {@link #readBatchComplete} will follow. */
    public final boolean inReadBatch() {
        return inReadBatch;
    }

    /**
     * Hands backlog messages on while the current state wants one. Re-entrant calls (from within a dispatch)
     * just let the outer loop continue. A dispatch that throws is reported to {@link #failed}.
     */
    final void resume() {
        if (dispatching) {
            return;
        }
        dispatching = true;
        try {
            Object msg;
            while (wantsMessage() && (msg = backlog.poll()) != null) {
                try {
                    dispatch(msg);
                } catch (RuntimeException e) {
                    failed(e);
                }
            }
        } finally {
            dispatching = false;
        }
    }
}
