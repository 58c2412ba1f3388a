package io.gatehouse.log;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Bounds how many lines of one kind are logged: at most {@code perSecond} in each one-second window, so that a
 * failure hitting every request cannot flood the log (nor keep event loops writing to it). The lines held back are
 * counted, and the next line let through says how many. Shared by every event loop: lock-free; a window may let a
 * line or two more through when loops race at its start.
 */
public final class LogThrottle {
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int perSecond;
    private final LongSupplier nanoClock;
    private final AtomicLong windowStart;
    private final AtomicInteger passedInWindow = new AtomicInteger();
    private final AtomicLong suppressed = new AtomicLong();

    public LogThrottle(int perSecond, LongSupplier nanoClock) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: >= 1)");
        }
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
        this.windowStart = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * Asks to log one line.
     *
     * @return -1 when the line must be dropped; otherwise how many lines were dropped since the last one let through
     */
    public long tryPass() {
        long now = nanoClock.getAsLong();
        long start = windowStart.get();
        if (now - start >= WINDOW_NANOS && windowStart.compareAndSet(start, now)) {
            passedInWindow.set(0);
        }
        if (passedInWindow.incrementAndGet() > perSecond) {
            suppressed.incrementAndGet();
            return -1;
        }
        return suppressed.getAndSet(0);
    }
}
