package io.gatehouse.proxy.exchange;

import io.gatehouse.config.RetryConfig.Condition;
import io.gatehouse.context.RequestContext;
import io.gatehouse.proxy.RetryPolicy;
import io.gatehouse.resilience.CircuitBreaker;
import io.gatehouse.tracing.AttemptSpan;
import io.gatehouse.tracing.RequestSpan;
import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.Choice;
import io.gatehouse.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.ArrayList;
import java.util.List;

/**
 * The attempts of one proxied request as its pool and its route's retry policy see them: the backends tried, the
 * current attempt's reservation and verdict, and whether another attempt may follow; and the request's permit from
 * its route's own breaker, judged once by the final outcome; and, with tracing on, each attempt's CLIENT span.
 * Confined to the request's event loop.
 */
public final class Attempts {
    private final UpstreamPool pool;
    private final RetryPolicy policy;
    /** Whether the request may be sent again once it reached a backend (see {@link RetryPolicy#resendable}). */
    private final boolean resendable;
    private final CircuitBreaker routeBreaker;
    private long routePermit = CircuitBreaker.NO_PERMIT;
    private boolean verdictAtEnd;
    private final List<Backend> tried = new ArrayList<>(2);
    private Choice.Chosen current;
    private boolean judged;
    private int retries;
    private long nextBackoffNanos;
    private final RequestSpan trace;
    private final HttpHeaders upstreamHeaders;
    private AttemptSpan span;

    /**
     * @param routeBreaker    the route's own breaker; {@code null} when it has none
     * @param trace           the request's SERVER span; {@code null} when tracing is off
     * @param upstreamHeaders the upstream request's headers, into which each attempt's trace context goes
     */
    Attempts(UpstreamPool pool, RetryPolicy policy, boolean resendable, CircuitBreaker routeBreaker,
             RequestSpan trace, HttpHeaders upstreamHeaders) {
        this.pool = pool;
        this.policy = policy;
        this.resendable = resendable;
        this.routeBreaker = routeBreaker;
        this.trace = trace;
        this.upstreamHeaders = upstreamHeaders;
    }

    /** The first attempt's backend, reserved, or why there is none. */
    Choice first() {
        if (routeBreaker != null) {
            routeBreaker.halfOpenIfDue(); // no timer: the first request after open_for lets the probes start
            routePermit = routeBreaker.tryAcquire();
            if (routePermit == CircuitBreaker.NO_PERMIT) {
                return new Choice.Unavailable(Choice.Reason.ROUTE_CIRCUIT_OPEN, routeBreaker.nanosUntilHalfOpen());
            }
        }
        policy.requestStarted();
        return pool.choose(tried);
    }

    /** The request's final outcome, for its route's breaker: once, and only when it says something of the route. */
    void requestOutcome(boolean failed) {
        if (routePermit != CircuitBreaker.NO_PERMIT) {
            routeBreaker.record(routePermit, failed);
            routePermit = CircuitBreaker.NO_PERMIT;
        }
    }

    /**
     * A response is being relayed. A 5xx is judged at once, for the attempt's backend and for the route; any other
     * status waits for {@link #responseEnded}, since the backend may still break off the body.
     */
    void committed(int status) {
        if (status >= 500) {
            judge(true);
            requestOutcome(true);
        } else {
            verdictAtEnd = true;
        }
    }

    /** The relayed response ended: whole, or broken off by the backend (a reset, an idle timeout). */
    void responseEnded(boolean brokenOff) {
        if (brokenOff && span != null) {
            span.failed("response_broken_off");
        }
        if (verdictAtEnd) {
            verdictAtEnd = false;
            judge(brokenOff);
            requestOutcome(brokenOff);
        }
    }

    /** The request ended: gives back what is still held, with no verdict (its client left, or it was refused). */
    void close() {
        release();
        if (routePermit != CircuitBreaker.NO_PERMIT) {
            routeBreaker.cancel(routePermit);
            routePermit = CircuitBreaker.NO_PERMIT;
        }
    }

    void begin(Choice.Chosen chosen) {
        current = chosen;
        judged = false;
        tried.add(chosen.backend());
        if (trace != null) {
            span = trace.attempt(chosen.backend(), retries, upstreamHeaders);
        }
    }

    /** The current attempt has its connection. */
    void connected(Channel upstream) {
        if (span != null) {
            span.connected(upstream.remoteAddress());
        }
    }

    /** The current attempt's backend answered with {@code status} (whether or not it is retried). */
    void responded(int status) {
        if (span != null) {
            span.responded(status);
        }
    }

    /**
     * The current attempt failed before a response was committed ({@code condition} null: an invalid response): it
     * is judged so, unless it was already.
     */
    void failed(Condition condition) {
        if (span != null) {
            span.failed(condition == null ? "invalid_response"
                    : condition == Condition.STATUS_504 ? "response_timeout" : condition.yamlName());
        }
        judge(true);
    }

    Backend backend() {
        return current.backend();
    }

    /** Reports the current attempt's outcome to its backend's breaker and outlier detection, once. */
    void judge(boolean failed) {
        if (!judged && current != null) {
            judged = true;
            pool.judge(current, failed);
        }
    }

    /**
     * Gives back the current attempt's reservation and ends its span; one never judged (its client left) leaves no
     * verdict.
     */
    void release() {
        if (span != null) {
            if (!judged) {
                span.failed("cancelled");
            }
            span.end();
            span = null;
        }
        if (current != null) {
            if (judged) {
                pool.release(current);
            } else {
                pool.abandon(current);
            }
            current = null;
        }
    }

    /**
     * Whether the route retries after {@code condition} now: the policy covers it for this request, attempts are
     * left, the body sent so far can be replayed, and the backoff ends before the request's time is up. Spends
     * nothing.
     */
    boolean mayRetry(Condition condition, BodyReplay replay, long requestNanosLeft) {
        if (condition == null || retries + 1 >= policy.attempts() || !policy.covers(condition, resendable)
                || !replay.canReplay()) {
            return false;
        }
        nextBackoffNanos = policy.backoffNanos(retries + 1);
        return nextBackoffNanos < requestNanosLeft;
    }

    /** Reserves a backend for a retry (an untried one if possible) and spends budget; {@code null} if either lacks. */
    Choice.Chosen reserveRetry(Condition condition) {
        if (!(pool.choose(tried) instanceof Choice.Chosen next)) {
            return null;
        }
        if (!policy.tryRetry(condition)) {
            pool.abandon(next);
            return null;
        }
        return next;
    }

    /**
     * Makes {@code next} the current attempt, held through the backoff so that {@link #release} gives it back if
     * the request ends meanwhile.
     *
     * @return the backoff to wait before starting it
     */
    long retrying(Choice.Chosen next) {
        retries++;
        current = next;
        judged = false;
        return nextBackoffNanos;
    }

    /** Notes the backend an attempt goes to, and its breaker's state, for the log. */
    static void noteBackend(RequestContext request, Backend backend) {
        request.backend(backend.address());
        if (backend.breaker() != null) {
            request.breaker(backend.breaker().state().label());
        }
    }
}
