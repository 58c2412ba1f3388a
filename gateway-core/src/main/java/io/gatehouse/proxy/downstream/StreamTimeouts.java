package io.gatehouse.proxy.downstream;

import io.gatehouse.config.ServerConfig;
import io.gatehouse.metrics.ClientTimeoutCounters;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The client timeouts of one HTTP/2 stream, before its {@link Http2StreamHandler}; what HTTP/1.1's
 * {@link ClientTimeouts} and {@link SendTimeout} do for a connection (the connection's idle timeout is
 * {@code io.gatehouse.server.http2.GracefulGoAway}'s; a request head arrives whole, its size capped by the codec):
 * <ul>
 *   <li>{@code request_body}: the longest gap between two DATA frames of the request body while the gateway reads
 *   it (not while it has stopped reading because the backend takes the body slowly). Then the stream is refused
 *   with 408 {@code client_body_timeout} (a {@link ClientRefusal} to the stream handler), or reset once a response
 *   is under way;</li>
 *   <li>{@code send}: the longest time the stream may stay unwritable, its client granting no flow-control window
 *   for the response. Then the stream is reset (RST_STREAM CANCEL): a client cannot hold a backend connection by
 *   reading nothing on one stream while its connection stays busy with others.</li>
 * </ul>
 * One timer per stream, armed only while one of the two waits is on; reads note the time rather than re-arm it.
 */
final class StreamTimeouts extends ChannelDuplexHandler {
    private final long requestBodyNanos;
    private final long sendNanos;
    private final ClientTimeoutCounters counters;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean bodyRead;
    private long lastRead;
    /** When the stream became unwritable; 0 while it is writable. */
    private long unwritableSince;

    StreamTimeouts(ServerConfig.Timeouts timeouts, ClientTimeoutCounters counters) {
        this.requestBodyNanos = timeouts.requestBody().toNanos();
        this.sendNanos = timeouts.send().toNanos();
        this.counters = counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lastRead = System.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = System.nanoTime();
        if (msg instanceof LastHttpContent) {
            bodyRead = true;
        }
        ctx.fireChannelRead(msg);
    }

    /** After a read: when the body is not read in full, more of it is due (a request without one costs no timer). */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!bodyRead && timer == null) {
            arm(requestBodyNanos);
        }
        ctx.fireChannelReadComplete();
    }

    /** Reading resumes after a pause (or goes on after a read): a body gap counts from here. */
    @Override
    public void read(ChannelHandlerContext ctx) {
        lastRead = System.nanoTime();
        ctx.read();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            unwritableSince = 0;
        } else if (unwritableSince == 0) {
            unwritableSince = System.nanoTime();
            if (timer == null) {
                arm(sendNanos);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void check() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (unwritableSince != 0 && now - unwritableSince >= sendNanos) {
            counters.send().increment();
            ctx.close(); // RST_STREAM CANCEL; the exchange gives up on its backend without a verdict
            return;
        }
        long next = Long.MAX_VALUE;
        if (!bodyRead) {
            if (!ctx.channel().config().isAutoRead()) {
                lastRead = now; // the gateway is not reading: the client is not at fault
            } else if (now - lastRead >= requestBodyNanos) {
                counters.body().increment();
                bodyRead = true; // nothing more is awaited
                ctx.fireUserEventTriggered(new ClientRefusal(ClientRejections.BODY_TIMEOUT));
                return;
            }
            next = lastRead + requestBodyNanos - now;
        }
        if (unwritableSince != 0) {
            next = Math.min(next, unwritableSince + sendNanos - now);
        }
        if (next != Long.MAX_VALUE) {
            arm(next);
        }
    }

    private void arm(long delayNanos) {
        timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
