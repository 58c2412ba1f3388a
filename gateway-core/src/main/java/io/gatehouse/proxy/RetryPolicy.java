package io.gatehouse.proxy;

import io.gatehouse.config.RetryConfig.Condition;
import io.gatehouse.config.RetryConfig;
import io.gatehouse.metrics.RouteMeters;
import io.gatehouse.resilience.RollingTally;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.http.HttpMethod;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * A route's retry policy, compiled once: which failures of which methods are retried, the backoff before each
 * retry, and the budget that caps retries at a share of the route's recent requests, so that retries cannot
 * multiply the load on a pool that is already failing. Shared by every event loop.
 */
public final class RetryPolicy {
    private static final Duration BUDGET_WINDOW = Duration.ofSeconds(10);
    private static final int BUDGET_BUCKETS = 10;

    private final RetryConfig config;
    /**
     * Events are requests and retries; the marked ones are the retries. Created with the route's first request:
     * its buckets are 300 bytes, and most of 10,000 generated routes never see one.
     */
    private volatile RollingTally budget;
    private final LongSupplier nanoClock;
    private final long floor;
    /** By condition ordinal, each registered with the first retry it counts. */
    private final Counter[] retries = new Counter[Condition.values().length];
    private final RouteMeters meters;

    RetryPolicy(RetryConfig config, RouteMeters meters, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.floor = (long) config.minRetriesPerSecond() * BUDGET_WINDOW.toSeconds();
        this.meters = meters;
    }

    /** Tries in all, the first included. */
    public int attempts() {
        return config.attempts();
    }

    /**
     * Whether a request of this method may be sent again once bytes of it reached a backend (a retry, or the retry
     * of a stale pooled connection): idempotent methods, and those the route opted in.
     */
    public boolean resendable(HttpMethod method) {
        return Idempotency.isIdempotent(method) || config.methods().contains(method.name());
    }

    /** Counts a new request towards the budget; a route that never retries keeps no count. */
    public void requestStarted() {
        if (config.attempts() > 1) {
            budget().record(false);
        }
    }

    /**
     * Whether a failure of this kind is retried for this method. Nothing reached the backend on a connect
     * failure, so any method may be retried then; otherwise only idempotent ones and those the route opted in.
     */
    public boolean covers(Condition condition, HttpMethod method) {
        return covers(condition, resendable(method));
    }

    /** As {@link #covers(Condition, HttpMethod)} for a request that is {@code resendable} or not. */
    public boolean covers(Condition condition, boolean resendable) {
        return config.on().contains(condition) && (condition == Condition.CONNECT_FAILURE || resendable);
    }

    /** Spends budget on one retry and counts it, or counts the refusal when the budget is spent. */
    public boolean tryRetry(Condition condition) {
        RollingTally tally = budget();
        RollingTally.Totals totals = tally.totals();
        long requests = totals.events() - totals.marked();
        if (totals.marked() >= floor + requests * config.budgetPercent() / 100) {
            meters.retryBudgetExhausted();
            return false;
        }
        tally.record(true);
        Counter counter = retries[condition.ordinal()];
        if (counter == null) {
            counter = meters.retries(condition.yamlName()); // null when the route is gone or metrics are off
            retries[condition.ordinal()] = counter;
        }
        if (counter != null) {
            counter.increment();
        }
        return true;
    }

    private RollingTally budget() {
        RollingTally tally = budget;
        if (tally == null) {
            synchronized (this) { // two loops' first requests at once: both count into one
                tally = budget;
                if (tally == null) {
                    budget = tally = new RollingTally(BUDGET_WINDOW, BUDGET_BUCKETS, nanoClock);
                }
            }
        }
        return tally;
    }

    /** The wait before retry number {@code retry} (1 for the first): exponential, capped, optionally jittered. */
    public long backoffNanos(int retry) {
        long base = config.backoffBase().toNanos();
        long cap = config.backoffMax().toNanos();
        int doublings = Math.min(retry - 1, 30);
        long delay = base > (cap >> doublings) ? cap : base << doublings;
        return config.fullJitter() && delay > 0 ? ThreadLocalRandom.current().nextLong(delay + 1) : delay;
    }
}
