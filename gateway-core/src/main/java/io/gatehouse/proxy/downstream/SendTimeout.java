package io.gatehouse.proxy.downstream;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * nginx's {@code send_timeout}: while a client connection has output the socket has not taken, the client must
 * take some of it at least once every {@code server.timeouts.send}, else the connection is reset (which also ends
 * a proxied exchange, closing its upstream connection without a verdict on the backend). Covers relayed responses
 * and the gateway's own alike. Sits first in the pipeline, where it sees every write.
 *
 * <p>No listener per write: a timer runs only while output waits, and looks a few times per period whether the
 * queued output moved (Netty's {@code IdleStateHandler} with {@code observeOutput} judges progress the same way), so
 * a stalled client is closed between one and 1¼ periods after it stopped reading.
 */
final class SendTimeout extends ChannelOutboundHandlerAdapter {
    private static final int CHECKS_PER_PERIOD = 4;

    private final long sendNanos;
    private final Counter expired;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long lastProgress;
    private int lastMessage;
    private long lastMessageProgress;
    private long lastPending;

    SendTimeout(long sendNanos, Counter expired) {
        this.sendNanos = sendNanos;
        this.expired = expired;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Removed when the connection leaves HTTP for a WebSocket tunnel, which is paced by backpressure instead. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        if (timer == null) {
            lastProgress = System.nanoTime();
            snapshot(ctx.channel().unsafe().outboundBuffer());
            schedule();
        }
    }

    private void schedule() {
        timer = ctx.executor().schedule(this::check, sendNanos / CHECKS_PER_PERIOD, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        ChannelOutboundBuffer output = ctx.channel().unsafe().outboundBuffer();
        if (output == null || !ctx.channel().isActive() || output.totalPendingWriteBytes() == 0) {
            return; // closed, or everything handed to the socket: the next write starts watching again
        }
        long now = System.nanoTime();
        if (moved(output)) {
            lastProgress = now;
            snapshot(output);
        } else if (now - lastProgress >= sendNanos) {
            expired.increment();
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0); // a reset frees the unsent output at once
            ctx.close();
            return;
        }
        schedule();
    }

    /** Whether the socket took queued output since the last snapshot (or the gateway queued more). */
    private boolean moved(ChannelOutboundBuffer output) {
        return System.identityHashCode(output.current()) != lastMessage
                || output.currentProgress() != lastMessageProgress
                || output.totalPendingWriteBytes() != lastPending;
    }

    private void snapshot(ChannelOutboundBuffer output) {
        if (output != null) {
            lastMessage = System.identityHashCode(output.current());
            lastMessageProgress = output.currentProgress();
            lastPending = output.totalPendingWriteBytes();
        }
    }
}
