package io.gatehouse.proxy.exchange;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * A timer that is armed and disarmed on every request but rarely expires, such as a connection's response timeout:
 * arming notes a due time and schedules a task only when none is pending early enough; disarming only forgets the
 * due time; a task that fires before the due time (or with nothing armed) re-arms itself for the rest, or stops. So a
 * response that comes in time costs a few field writes instead of scheduling and cancelling a task, which allocates
 * and updates the event loop's timer queue twice. Used on its event loop only.
 */
public final class Deadline {
    private final EventExecutor executor;
    private Runnable onExpiry;
    private long due;
    private ScheduledFuture<?> timer;
    private long timerDue;

    public Deadline(EventExecutor executor) {
        this.executor = executor;
    }

    /** Runs {@code onExpiry} once {@code nanos} have passed, unless disarmed or re-armed first. */
    void arm(long nanos, Runnable onExpiry) {
        long now = System.nanoTime();
        this.onExpiry = onExpiry;
        this.due = now + nanos;
        if (timer == null || timerDue - due > 0) { // none pending, or the pending one is too late for this due time
            if (timer != null) {
                timer.cancel(false);
            }
            schedule(now, nanos);
        }
    }

    /** Forgets the due time armed with {@code onExpiry}; one armed since by someone else stays. */
    void disarm(Runnable onExpiry) {
        if (this.onExpiry == onExpiry) {
            this.onExpiry = null;
        }
    }

    private void schedule(long now, long nanos) {
        timerDue = now + nanos;
        timer = executor.schedule(this::fire, nanos, TimeUnit.NANOSECONDS);
    }

    private void fire() {
        timer = null;
        Runnable action = onExpiry;
        if (action == null) {
            return;
        }
        long now = System.nanoTime();
        long left = due - now;
        if (left > 0) {
            schedule(now, left);
            return;
        }
        onExpiry = null;
        action.run();
    }
}
