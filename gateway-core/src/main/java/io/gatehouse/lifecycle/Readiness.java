package io.gatehouse.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Whether the gateway can serve, as {@code /readyz} reports it: {@code starting} until the listener is bound and
 * every {@link StartupGate} is open; {@code ready} from then on, or once {@code server.ready_timeout} has passed
 * since the listener was bound (the gates still closed are named, and their requests follow their own fallback,
 * such as the rate limits' {@code on_error}); {@code draining} once shutdown has begun.
 */
public final class Readiness {
    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    public enum Status { STARTING, READY, DRAINING }

    /**
     * One answer.
     *
     * @param closedGates the gates not open yet: what {@code starting} waits for, or what a {@code ready} reached
     *                    through the timeout is serving without
     */
    public record Report(Status status, List<String> closedGates) {
        public boolean ready() {
            return status == Status.READY;
        }
    }

    private static final Report DRAINING = new Report(Status.DRAINING, List.of());
    private static final Report READY = new Report(Status.READY, List.of());

    private final List<StartupGate> gates;
    private final long timeoutNanos;
    private final LongSupplier nanoClock;
    private volatile boolean started;
    private volatile long startedAt;
    /** Set once every gate was seen open: gates never close again, so they need not be asked any more. */
    private volatile boolean gatesOpened;
    private volatile boolean draining;

    public Readiness(List<StartupGate> gates, Duration timeout, LongSupplier nanoClock) {
        this.gates = List.copyOf(gates);
        this.timeoutNanos = timeout.toNanos();
        this.nanoClock = nanoClock;
        this.gatesOpened = this.gates.isEmpty();
    }

    /** The listener is bound and the gates' background work has begun: the timeout starts now. */
    public void markStarted() {
        startedAt = nanoClock.getAsLong();
        started = true;
    }

    public void markDraining() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    public Report report() {
        if (draining) {
            return DRAINING;
        }
        List<String> closed = closedGates();
        if (!started) {
            return new Report(Status.STARTING, closed);
        }
        if (closed.isEmpty()) {
            return READY;
        }
        return new Report(timedOut() ? Status.READY : Status.STARTING, closed);
    }

    /**
     * For the server to run when the timeout has passed: warns, naming the gates still closed, that the gateway
     * now reports ready without them.
     */
    public void timeoutPassed() {
        List<String> closed = closedGates();
        if (!closed.isEmpty() && !draining) {
            log.warn("ready after waiting {} ms (server.ready_timeout) without: {}; requests that need them get"
                    + " their fallback (such as on_error) until they come up", Duration.ofNanos(timeoutNanos).toMillis(),
                    closed);
        }
    }

    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    private boolean timedOut() {
        return nanoClock.getAsLong() - startedAt >= timeoutNanos;
    }

    private List<String> closedGates() {
        if (gatesOpened) {
            return List.of();
        }
        List<String> closed = new ArrayList<>(gates.size());
        for (StartupGate gate : gates) {
            if (!gate.isOpen()) {
                closed.add(gate.name());
            }
        }
        if (closed.isEmpty()) {
            gatesOpened = true;
        }
        return closed;
    }
}
