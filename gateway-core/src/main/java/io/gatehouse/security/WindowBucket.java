package io.gatehouse.security;

import io.github.bucket4j.ConsumptionProbe;

/**
 * A quota's bucket: {@code limit} tokens come back at once at the end of each window of {@code period}, the first
 * window starting at the key's first request; at most {@code burst} are held. Two numbers, under the bucket's lock
 * (held for a few arithmetic operations; a quota is rarely contended).
 */
final class WindowBucket extends LocalBucket {
    /**
     * What every bucket of one quota shares.
     *
     * @param limit       tokens added at the end of each window
     * @param periodNanos the window's length
     * @param burst       the most tokens held
     */
    record Shape(long limit, long periodNanos, long burst) {
    }

    private final Shape shape;
    private long windowEnd;
    private long tokens;

    /** A full bucket whose first window starts {@code now}. */
    WindowBucket(Shape shape, long now) {
        this.shape = shape;
        this.windowEnd = now + shape.periodNanos();
        this.tokens = shape.burst();
    }

    @Override
    synchronized ConsumptionProbe tryConsume(long now) {
        if (now - windowEnd >= 0) {
            long windows = (now - windowEnd) / shape.periodNanos() + 1;
            windowEnd += windows * shape.periodNanos();
            tokens = Math.min(shape.burst(), tokens + saturatedProduct(windows, shape.limit(), shape.burst()));
        }
        long untilWindowEnd = windowEnd - now;
        if (tokens == 0) {
            return ConsumptionProbe.rejected(0, untilWindowEnd, untilReset(untilWindowEnd));
        }
        tokens--;
        return ConsumptionProbe.consumed(tokens, untilReset(untilWindowEnd));
    }

    /** Nanoseconds until the bucket holds {@code burst} tokens again. */
    private long untilReset(long untilWindowEnd) {
        long missing = shape.burst() - tokens;
        if (missing == 0) {
            return 0;
        }
        long windows = (missing + shape.limit() - 1) / shape.limit();
        return untilWindowEnd + (windows - 1) * shape.periodNanos();
    }
}
