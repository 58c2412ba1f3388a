package io.gatehouse.security;

import io.github.bucket4j.ConsumptionProbe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A token bucket that refills continuously, kept as one number: the time at which it will be full again (the
 * generic cell rate algorithm). Taking a token moves that time one token's worth of nanoseconds later, from now
 * if it was full; there is no token left while that time lies more than the whole bucket's worth ahead. A lock-free
 * compare-and-set makes concurrent takes from several event loops exact.
 */
final class ContinuousBucket extends LocalBucket {
    /** Most nanoseconds a bucket may be behind, far beyond any configured policy, so sums cannot overflow. */
    private static final long MAX_DEBT = Long.MAX_VALUE / 4;
    private static final VarHandle FULL_AT;

    static {
        try {
            FULL_AT = MethodHandles.lookup().findVarHandle(ContinuousBucket.class, "fullAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * What every bucket of one policy shares.
     *
     * @param tokenNanos    the time one token takes to come back: the period over the limit, rounded up
     * @param capacityNanos the time an empty bucket takes to become full: {@code burst} tokens
     */
    record Shape(long tokenNanos, long capacityNanos) {
        static Shape of(long limit, long periodNanos, long burst) {
            long tokenNanos = Math.max(1, (periodNanos + limit - 1) / limit);
            return new Shape(tokenNanos, saturatedProduct(tokenNanos, burst, MAX_DEBT));
        }
    }

    private final Shape shape;
    @SuppressWarnings("unused") // read and written through FULL_AT
    private volatile long fullAt;

    /** A full bucket at {@code now}. */
    ContinuousBucket(Shape shape, long now) {
        this.shape = shape;
        this.fullAt = now;
    }

    @Override
    ConsumptionProbe tryConsume(long now) {
        while (true) {
            long current = (long) FULL_AT.getVolatile(this);
            long debt = Math.max(0, current - now); // nanoseconds until full before this request
            long after = debt + shape.tokenNanos();
            if (after > shape.capacityNanos()) {
                return ConsumptionProbe.rejected((shape.capacityNanos() - debt) / shape.tokenNanos(),
                        after - shape.capacityNanos(), debt);
            }
            if (FULL_AT.compareAndSet(this, current, now + after)) {
                return ConsumptionProbe.consumed((shape.capacityNanos() - after) / shape.tokenNanos(), after);
            }
        }
    }
}
