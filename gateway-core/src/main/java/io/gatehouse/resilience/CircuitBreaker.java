package io.gatehouse.resilience;

import io.gatehouse.config.CircuitBreakerConfig;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * One backend's circuit breaker, shared by every event loop. Each state is an immutable phase swapped by
 * compare-and-set, so exactly one thread performs each transition and reports it.
 *
 * <p>A call asks {@link #tryAcquire} for a permit, which names the phase it started in; its outcome counts only
 * if that phase is still current, so a slow call that started while closed cannot close a half-open breaker.
 * Closed: every call passes; failures in a row, or the failure rate over the window, open it. Open: nothing
 * passes until {@link #halfOpenIfDue} (the pool schedules it for the end of {@code open_for}). Half-open:
 * {@code half_open_probes} calls pass; that many successes close it, one failure opens it again.
 */
public final class CircuitBreaker {
    /** Refused by {@link #tryAcquire}. */
    public static final long NO_PERMIT = -1;
    private static final int WINDOW_BUCKETS = 10;

    public enum State {
        CLOSED(0, "closed"), OPEN(1, "open"), HALF_OPEN(2, "half_open");

        private final int gaugeValue;
        private final String label;

        State(int gaugeValue, String label) {
            this.gaugeValue = gaugeValue;
            this.label = label;
        }

        /** 0 closed, 1 open, 2 half-open: the value of the state gauge. */
        public int gaugeValue() {
            return gaugeValue;
        }

        /** The state's name in metrics and logs. */
        public String label() {
            return label;
        }
    }

    /** Told of each transition, once, on the thread that made it. */
    public interface Listener {
        void transitioned(CircuitBreaker breaker, State from, State to);
    }

    private final CircuitBreakerConfig config;
    private final LongSupplier nanoClock;
    private final Listener listener;
    private final AtomicReference<Phase> phase;

    public CircuitBreaker(CircuitBreakerConfig config, LongSupplier nanoClock, Listener listener) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.listener = listener;
        this.phase = new AtomicReference<>(closed(0));
    }

    public State state() {
        return phase.get().state;
    }

    /** Nanoseconds until an open breaker half-opens; 0 unless open. */
    public long nanosUntilHalfOpen() {
        Phase current = phase.get();
        return current.state == State.OPEN ? Math.max(0, current.openUntil - nanoClock.getAsLong()) : 0;
    }

    /** A permit for one call, or {@link #NO_PERMIT} while open or when every half-open probe is taken. */
    public long tryAcquire() {
        Phase current = phase.get();
        return switch (current.state) {
            case CLOSED -> current.generation;
            case OPEN -> NO_PERMIT;
            case HALF_OPEN -> tryTakeProbe(current) ? current.generation : NO_PERMIT;
        };
    }

    /** Counts only the probes let through, so that {@link #cancel} can always give one back. */
    private boolean tryTakeProbe(Phase halfOpen) {
        int taken;
        do {
            taken = halfOpen.probes.get();
            if (taken >= config.halfOpenProbes()) {
                return false;
            }
        } while (!halfOpen.probes.compareAndSet(taken, taken + 1));
        return true;
    }

    /** The outcome of a call that held {@code permit}. */
    public void record(long permit, boolean failed) {
        Phase current = phase.get();
        if (permit != current.generation) {
            return;
        }
        switch (current.state) {
            case CLOSED -> recordClosed(current, failed);
            case HALF_OPEN -> {
                if (failed) {
                    open(current);
                } else if (current.successes.incrementAndGet() >= config.halfOpenProbes()) {
                    transition(current, closed(current.generation + 1));
                }
            }
            case OPEN -> { } // a permit is never issued while open
        }
    }

    /** Gives back a permit whose call ended with no verdict on the backend (its client left first). */
    public void cancel(long permit) {
        Phase current = phase.get();
        if (permit == current.generation && current.state == State.HALF_OPEN) {
            current.probes.decrementAndGet();
        }
    }

    /** Lets probes through once the open time is over; a no-op otherwise. */
    public void halfOpenIfDue() {
        Phase current = phase.get();
        if (current.state == State.OPEN && nanoClock.getAsLong() - current.openUntil >= 0) {
            transition(current, new Phase(State.HALF_OPEN, current.generation + 1, 0, null));
        }
    }

    private void recordClosed(Phase current, boolean failed) {
        current.window.record(failed);
        if (!failed) {
            current.consecutiveFailures.set(0);
            return;
        }
        int inARow = current.consecutiveFailures.incrementAndGet();
        if (config.consecutiveFailures() > 0 && inARow >= config.consecutiveFailures()) {
            open(current);
            return;
        }
        if (config.failureRatePercent() > 0) {
            RollingTally.Totals totals = current.window.totals();
            if (totals.events() >= config.minimumCalls()
                    && totals.marked() * 100 >= (long) config.failureRatePercent() * totals.events()) {
                open(current);
            }
        }
    }

    private void open(Phase current) {
        long until = nanoClock.getAsLong() + config.openFor().toNanos();
        transition(current, new Phase(State.OPEN, current.generation + 1, until, null));
    }

    private Phase closed(long generation) {
        return new Phase(State.CLOSED, generation, 0,
                new RollingTally(config.window(), WINDOW_BUCKETS, nanoClock));
    }

    private void transition(Phase from, Phase to) {
        if (phase.compareAndSet(from, to)) {
            listener.transitioned(this, from.state, to.state);
        }
    }

    /** One state's bookkeeping; {@code window} only while closed, {@code openUntil} only while open. */
    private static final class Phase {
        final State state;
        final long generation;
        final long openUntil;
        final RollingTally window;
        final AtomicInteger consecutiveFailures = new AtomicInteger();
        final AtomicInteger probes = new AtomicInteger();
        final AtomicInteger successes = new AtomicInteger();

        Phase(State state, long generation, long openUntil, RollingTally window) {
            this.state = state;
            this.generation = generation;
            this.openUntil = openUntil;
            this.window = window;
        }
    }
}
