package io.gatehouse.log;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The per-second bound on log lines, driven by a test clock. */
class LogThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final LogThrottle throttle = new LogThrottle(3, now::get);

    @Test
    void letsTheBoundThroughEachSecondAndReportsWhatItHeldBack() {
        assertThat(throttle.tryPass()).isZero();
        assertThat(throttle.tryPass()).isZero();
        assertThat(throttle.tryPass()).isZero();
        assertThat(throttle.tryPass()).as("fourth in the second").isEqualTo(-1);
        assertThat(throttle.tryPass()).isEqualTo(-1);

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        assertThat(throttle.tryPass()).as("still the same second").isEqualTo(-1);

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(throttle.tryPass()).as("the first line of the next second counts the three held back")
                .isEqualTo(3);
        assertThat(throttle.tryPass()).isZero();
    }

    @Test
    void refusesABoundBelowOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LogThrottle(0, now::get))
                .withMessage("perSecond: 0 (expected: >= 1)");
    }
}
