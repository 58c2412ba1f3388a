package io.gatehouse.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyQuantileTest {
    private static final double[] BOUNDS = {1, 5, 10};

    @Test
    void interpolatesInsideTheBucketTheRankFallsIn() {
        // 90 requests at or under 5 ms, 10 between 5 and 10: the 99th of 100 is nine tenths into (5, 10].
        assertThat(LatencyQuantile.of(0.99, BOUNDS, new long[] {0, 90, 100}, 100)).isCloseTo(9.5, within(1e-9));
        assertThat(LatencyQuantile.of(0.25, BOUNDS, new long[] {50, 100, 100}, 100)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aRankBeyondTheLastBoundIsThatBound() {
        assertThat(LatencyQuantile.of(0.99, BOUNDS, new long[] {0, 0, 5}, 10)).isEqualTo(10);
    }

    @Test
    void noRequestsIsZero() {
        assertThat(LatencyQuantile.of(0.99, BOUNDS, new long[] {0, 0, 0}, 0)).isZero();
    }
}
