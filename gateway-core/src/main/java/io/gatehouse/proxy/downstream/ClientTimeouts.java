package io.gatehouse.proxy.downstream;

import io.gatehouse.config.ServerConfig;
import io.gatehouse.context.Rejection;
import io.gatehouse.metrics.ClientTimeoutCounters;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Sits before the HTTP decoder and bounds every wait on the client to send something:
 * <ul>
 *   <li>{@code idle}: a keep-alive connection with no request for this long is closed quietly;</li>
 *   <li>{@code request_header}: a client that started a request head and does not finish it gets 408 and is
 *       closed (the slowloris defence);</li>
 *   <li>{@code request_body}: the longest gap between two reads of a request body; then 408 (or, once a response
 *       is under way, a reset). A gap counts only while the gateway reads: while it has stopped reading (its
 *       backlog is full because the backend takes the body slowly) the client is not at fault, and the gap starts
 *       afresh when reading resumes. A client that sent {@code Expect: 100-continue} is timed from its
 *       {@code 100 Continue} on;</li>
 *   <li>{@code discard_body}: the time spent reading and dropping the body of a request the gateway answered
 *       itself; then the connection closes.</li>
 * </ul>
 * A 408 is asked of {@link ClientConnectionHandler} with a {@link ClientRefusal} event, so that it is answered like
 * every other refusal. The connection handler says when a request begins, is answered, and when the next may
 * begin; {@link SerialRequestHandler} says when a request was read in full. One timer serves every wait and is not
 * re-armed per read: reads note the time, and the timer, when it fires early, re-arms itself for the rest.
 */
final class ClientTimeouts extends ChannelDuplexHandler {
    private static final ClientRefusal HEAD_TIMED_OUT = new ClientRefusal(Rejection.closing(
            HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout", "request head not received in time"));
    private static final ClientRefusal BODY_TIMED_OUT = new ClientRefusal(ClientRejections.BODY_TIMEOUT);

    private enum Wait { NOTHING, NEXT_REQUEST, HEAD, BODY, DISCARDED_BODY }

    private final long idleNanos;
    private final long requestHeaderNanos;
    private final long requestBodyNanos;
    private final long discardBodyNanos;
    private final ClientTimeoutCounters counters;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long timerDue;
    private Wait wait = Wait.NOTHING;
    private long waitNanos;
    /** When the current wait began; for a body, also the last read. */
    private long since;
    /** The current request has a body that has not been read in full. */
    private boolean bodyToRead;

    ClientTimeouts(ServerConfig.Timeouts timeouts, ClientTimeoutCounters counters) {
        this.idleNanos = timeouts.idle().toNanos();
        this.requestHeaderNanos = timeouts.requestHeader().toNanos();
        this.requestBodyNanos = timeouts.requestBody().toNanos();
        this.discardBodyNanos = timeouts.discardBody().toNanos();
        this.counters = counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        await(Wait.NEXT_REQUEST, idleNanos);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (wait == Wait.NEXT_REQUEST && msg instanceof ByteBuf buf && buf.isReadable()) {
            await(Wait.HEAD, requestHeaderNanos);
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Netty asks for the next read right after each read, and when reading resumes after a pause: a body gap
     * counts from there.
     */
    @Override
    public void read(ChannelHandlerContext ctx) {
        if (wait == Wait.BODY) {
            since = System.nanoTime();
        }
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    /** Removed when the connection leaves HTTP for a WebSocket tunnel, whose own timeouts apply then. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        wait = Wait.NOTHING;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /**
     * A request begins (its head arrived, or it is refused before it did): the request's own timeouts take over.
     *
     * @param bodyToRead     it has a body not yet read in full
     * @param awaitsContinue its client waits for a {@code 100 Continue} before it sends the body
     */
    void requestBegun(boolean bodyToRead, boolean awaitsContinue) {
        this.bodyToRead = bodyToRead;
        wait = Wait.NOTHING;
        if (bodyToRead && !awaitsContinue) {
            await(Wait.BODY, requestBodyNanos);
        }
    }

    /** The client was told to send its body ({@code 100 Continue}): from now on its pace is timed. */
    void continueSent() {
        if (bodyToRead && wait != Wait.BODY) {
            await(Wait.BODY, requestBodyNanos);
        }
    }

    /** The decoder produced a request's last part: its body is read (or dropped) in full. */
    void bodyRead() {
        bodyToRead = false;
        if (wait == Wait.BODY || wait == Wait.DISCARDED_BODY) {
            wait = Wait.NOTHING;
        }
    }

    /**
     * The gateway answers the request itself, and reads and drops the rest of its body for a bounded time if
     * {@code readsOn}; else it awaits nothing more of this request (it closes after a lingering close, which has
     * its own bound).
     */
    void answeredLocally(boolean readsOn) {
        if (readsOn && bodyToRead) {
            await(Wait.DISCARDED_BODY, discardBodyNanos);
        } else {
            wait = Wait.NOTHING;
        }
    }

    /** The previous exchange is over; the connection now waits, idle, for the next request. */
    void awaitNextRequest() {
        await(Wait.NEXT_REQUEST, idleNanos);
    }

    private void await(Wait next, long nanos) {
        wait = next;
        waitNanos = nanos;
        since = System.nanoTime();
        long due = since + nanos;
        // A pending timer due no later than this wait's end is kept: it re-arms itself for the rest.
        if (timer == null || timerDue - due > 0) {
            if (timer != null) {
                timer.cancel(false);
            }
            schedule(nanos);
        }
    }

    private void schedule(long nanos) {
        timerDue = System.nanoTime() + nanos;
        timer = ctx.executor().schedule(this::check, nanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (wait == Wait.NOTHING || !ctx.channel().isActive()) {
            return;
        }
        if (wait == Wait.BODY && !ctx.channel().config().isAutoRead()) {
            schedule(waitNanos); // the gateway stopped reading; read() restarts the gap when it resumes
            return;
        }
        long left = since + waitNanos - System.nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        Wait expired = wait;
        wait = Wait.NOTHING;
        switch (expired) {
            case NEXT_REQUEST -> ctx.close();
            case HEAD -> refuse(counters.header(), HEAD_TIMED_OUT);
            case BODY -> refuse(counters.body(), BODY_TIMED_OUT);
            case DISCARDED_BODY -> {
                counters.discard().increment();
                ctx.close();
            }
            case NOTHING -> throw new IllegalStateException("nothing was awaited");
        }
    }

    /** Through the codec to the handler that answers every refusal. */
    private void refuse(Counter counter, ClientRefusal refusal) {
        counter.increment();
        ctx.fireUserEventTriggered(refusal);
    }
}
