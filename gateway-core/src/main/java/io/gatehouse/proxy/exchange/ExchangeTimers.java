package io.gatehouse.proxy.exchange;

import io.gatehouse.config.TimeoutsConfig;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The timers of one proxied request, all on its event loop: the whole request ({@code request_timeout}), each
 * attempt's waits on its backend before the response head ({@code response_timeout}), and the gaps between reads
 * of the response body ({@code idle_timeout}). The response timer runs while the attempt waits on the backend: for a
 * connection, for it to take more of the request body once it stopped taking it, and for the response head once the
 * whole request was sent. It does not run while the request body waits for the client, whose pace the client's own
 * timeouts bound ({@code ClientTimeouts}); so a slow upload is never a 504 blamed on the backend. The idle timer is armed at the end of the first upstream read that leaves the response
 * unfinished (a small response that arrives whole never arms it), and is not re-armed on every read: reads only
 * note the time, and the timer, when it fires early, re-arms itself for the rest of the gap.
 */
final class ExchangeTimers {
    /** What to do when a timer expires; called on the event loop. */
    interface Expiry {
        void responseTimedOut();

        void idleTimedOut();

        void requestTimedOut();
    }

    private final EventExecutor executor;
    private final Deadline responseDeadline;
    private final Runnable responseExpiry = this::responseExpired;
    private final TimeoutsConfig timeouts;
    private final Expiry expiry;
    private final long idleNanos;
    private long requestDeadline = Long.MAX_VALUE;
    private ScheduledFuture<?> requestTimer;
    private boolean awaitingBackend;
    /** Set by {@link #cancelAll}: the connection's deadline may belong to its next exchange by now. */
    private boolean over;
    private ScheduledFuture<?> idleTimer;
    private long lastRead;
    private boolean idlePaused;
    private boolean responseHeadReceived;

    /** @param responseDeadline the client connection's, which its exchanges use one after another */
    ExchangeTimers(EventExecutor executor, Deadline responseDeadline, TimeoutsConfig timeouts, Expiry expiry) {
        this.executor = executor;
        this.responseDeadline = responseDeadline;
        this.timeouts = timeouts;
        this.expiry = expiry;
        this.idleNanos = timeouts.idle().toNanos();
    }

    /** Arms the whole-request limit, counted from when the request head arrived. */
    void requestStarted(long headNanos) {
        if (timeouts.hasRequestLimit()) {
            requestDeadline = headNanos + timeouts.request().toNanos();
            requestTimer = executor.schedule(this::requestExpired, requestDeadline - System.nanoTime(),
                    TimeUnit.NANOSECONDS);
        }
    }

    /** Nanoseconds left before the whole-request limit; {@link Long#MAX_VALUE} without one. */
    long requestNanosLeft() {
        return requestDeadline == Long.MAX_VALUE ? Long.MAX_VALUE : requestDeadline - System.nanoTime();
    }

    /** An attempt asks for a connection: the first wait on its backend. */
    void attemptStarted() {
        cancelAttempt();
        awaitBackend(true);
    }

    /**
     * Whether the attempt now waits on its backend rather than on the client. A wait on the backend that goes on
     * keeps its timer; a new one starts a full {@code response_timeout}.
     */
    void awaitBackend(boolean waiting) {
        if (!waiting) {
            stopAwaitingBackend();
        } else if (!awaitingBackend && !responseHeadReceived && !over) {
            awaitingBackend = true;
            responseDeadline.arm(timeouts.response().toNanos(), responseExpiry);
        }
    }

    private void stopAwaitingBackend() {
        if (awaitingBackend) {
            awaitingBackend = false;
            responseDeadline.disarm(responseExpiry);
        }
    }

    /** The response head arrived: from now on the gaps between body reads are timed. */
    void responseStarted() {
        responseHeadReceived = true;
        awaitBackend(false);
    }

    /** The end of an upstream read that left the response unfinished. */
    void upstreamRead() {
        lastRead = System.nanoTime();
        if (idleTimer == null) {
            idleTimer = executor.schedule(this::idleCheck, idleNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** While the client cannot take more, the backend is not read and its silence is not its fault. */
    void pauseIdle(boolean paused) {
        idlePaused = paused;
        if (!paused) {
            lastRead = System.nanoTime();
        }
    }

    void cancelAttempt() {
        stopAwaitingBackend();
        cancel(idleTimer);
        idleTimer = null;
    }

    void cancelAll() {
        over = true;
        cancelAttempt();
        cancel(requestTimer);
        requestTimer = null;
    }

    /** {@code connect_timeout}, as the socket option takes it. */
    int connectTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis());
    }

    /** The limit that {@code response_timeout} expiry reports. */
    long responseTimeoutMillis() {
        return timeouts.response().toMillis();
    }

    long requestTimeoutMillis() {
        return timeouts.request().toMillis();
    }

    private void requestExpired() {
        requestTimer = null;
        expiry.requestTimedOut();
    }

    private void responseExpired() {
        awaitingBackend = false;
        expiry.responseTimedOut();
    }

    private void idleCheck() {
        long quiet = System.nanoTime() - lastRead;
        if (idlePaused || quiet < idleNanos) {
            idleTimer = executor.schedule(this::idleCheck, idlePaused ? idleNanos : idleNanos - quiet,
                    TimeUnit.NANOSECONDS);
            return;
        }
        idleTimer = null;
        expiry.idleTimedOut();
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
