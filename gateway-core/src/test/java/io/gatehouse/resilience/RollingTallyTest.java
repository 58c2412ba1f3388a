package io.gatehouse.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rolling window on a clock the test moves: 10 s in 10 buckets of 1 s each. */
class RollingTallyTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Starts on a bucket boundary, well away from zero, as System.nanoTime() may. */
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final RollingTally tally = new RollingTally(Duration.ofSeconds(10), 10, clock::get);

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void anEmptyTallyCountsNothing() {
        assertThat(tally.totals()).isEqualTo(new RollingTally.Totals(0, 0));
    }

    @Test
    void countsEventsAndTheMarkedOnesAmongThem() {
        tally.record(false);
        tally.record(true);
        tally.record(false);
        tally.record(true);
        tally.record(true);

        assertThat(tally.totals()).isEqualTo(new RollingTally.Totals(5, 3));
    }

    @Test
    void countsEveryBucketWithinTheWindow() {
        for (int second = 0; second < 10; second++) {
            tally.record(second % 2 == 0);
            advance(Duration.ofSeconds(1));
        }
        clock.addAndGet(-1); // the last nanosecond of the tenth bucket

        assertThat(tally.totals()).isEqualTo(new RollingTally.Totals(10, 5));
    }

    @Test
    void aBucketExpiresOnceTheClockPassesTheWindow() {
        tally.record(true);
        tally.record(false);

        advance(Duration.ofSeconds(10).minusNanos(1));
        assertThat(tally.totals()).as("still within the window").isEqualTo(new RollingTally.Totals(2, 1));

        advance(Duration.ofNanos(1));
        assertThat(tally.totals()).as("a whole window later").isEqualTo(new RollingTally.Totals(0, 0));
    }

    @Test
    void oldBucketsDropOutOneByOneAsTheWindowSlides() {
        for (int second = 0; second < 5; second++) {
            tally.record(true); // one marked event in each of seconds 0..4
            advance(Duration.ofSeconds(1));
        }
        assertThat(tally.totals()).isEqualTo(new RollingTally.Totals(5, 5));

        advance(Duration.ofSeconds(5)); // now at second 10: second 0 has left the window
        assertThat(tally.totals()).isEqualTo(new RollingTally.Totals(4, 4));

        advance(Duration.ofSeconds(2)); // second 12: seconds 0..2 gone
        assertThat(tally.totals()).isEqualTo(new RollingTally.Totals(2, 2));

        advance(Duration.ofSeconds(2)); // second 14: all gone
        assertThat(tally.totals()).isEqualTo(new RollingTally.Totals(0, 0));
    }

    @Test
    void aReusedBucketStartsFromZero() {
        tally.record(true);
        tally.record(true);
        tally.record(false);

        advance(Duration.ofSeconds(10)); // the same slot, one window later
        tally.record(false);

        assertThat(tally.totals()).isEqualTo(new RollingTally.Totals(1, 0));
    }

    @Test
    void aLongIdleGapForgetsEverything() {
        tally.record(true);
        advance(Duration.ofHours(3).plusMillis(1));

        assertThat(tally.totals()).isEqualTo(new RollingTally.Totals(0, 0));
        tally.record(true);
        assertThat(tally.totals()).isEqualTo(new RollingTally.Totals(1, 1));
    }

    @Test
    void worksWhenTheNanoClockIsNegative() {
        clock.set(-3 * SECOND - 1); // System.nanoTime() has an arbitrary origin
        tally.record(true);
        advance(Duration.ofSeconds(9)); // floorDiv puts the first event in the bucket of -4 s; now in that of 5 s
        assertThat(tally.totals()).isEqualTo(new RollingTally.Totals(1, 1));

        tally.record(false);
        advance(Duration.ofNanos(1)); // now exactly at 6 s: the bucket of -4 s has left the window
        assertThat(tally.totals()).isEqualTo(new RollingTally.Totals(1, 0));
    }
}
