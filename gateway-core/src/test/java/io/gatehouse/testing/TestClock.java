package io.gatehouse.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A nanosecond clock that moves only when the test says, for {@code StartOptions.nanoClock}: pools, breakers, retry
 * budgets and rate limits then read the test's time instead of the machine's.
 */
public final class TestClock implements LongSupplier {
    /** Far from zero, as {@link System#nanoTime()} may be. */
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    @Override
    public long getAsLong() {
        return now.get();
    }

    public void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }
}
