package io.gatehouse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.lifecycle.Readiness.Report;
import io.gatehouse.lifecycle.Readiness.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code /readyz} reports, on a clock the test moves. */
class ReadinessTest {
    /** A gate the test opens. */
    private static final class Gate implements StartupGate {
        private final String name;
        boolean open;

        Gate(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }

    private long now = 1_000_000_000L;
    private final Gate redis = new Gate("redis");
    private final Gate etcd = new Gate("etcd");
    private final Readiness readiness = new Readiness(List.of(redis, etcd), Duration.ofSeconds(10), () -> now);

    @Test
    void startingUntilTheListenerIsBoundThenUntilEveryGateIsOpen() {
        redis.open = true;
        etcd.open = true;
        assertThat(readiness.report()).isEqualTo(new Report(Status.STARTING, List.of()));

        readiness.markStarted();

        assertThat(readiness.report()).isEqualTo(new Report(Status.READY, List.of()));
    }

    @Test
    void namesTheGatesItWaitsForAndIsReadyOnceTheyOpen() {
        readiness.markStarted();
        assertThat(readiness.report()).isEqualTo(new Report(Status.STARTING, List.of("redis", "etcd")));

        etcd.open = true;
        now += Duration.ofSeconds(9).toNanos();
        assertThat(readiness.report()).isEqualTo(new Report(Status.STARTING, List.of("redis")));

        redis.open = true;
        assertThat(readiness.report().ready()).isTrue();
    }

    @Test
    void readyOnceTheTimeoutPassesNamingWhatIsStillUnavailable() {
        readiness.markStarted();
        etcd.open = true;

        now += Duration.ofSeconds(10).toNanos() - 1;
        assertThat(readiness.report().ready()).isFalse();
        now += 1;
        assertThat(readiness.report()).isEqualTo(new Report(Status.READY, List.of("redis")));

        redis.open = true;
        assertThat(readiness.report()).isEqualTo(new Report(Status.READY, List.of()));
    }

    @Test
    void drainingWinsOverEverything() {
        redis.open = true;
        etcd.open = true;
        readiness.markStarted();

        readiness.markDraining();

        assertThat(readiness.report()).isEqualTo(new Report(Status.DRAINING, List.of()));
        assertThat(readiness.isDraining()).isTrue();
    }

    @Test
    void withoutGatesReadyAsSoonAsListening() {
        Readiness none = new Readiness(List.of(), Duration.ofSeconds(10), () -> now);
        none.markStarted();

        assertThat(none.report()).isEqualTo(new Report(Status.READY, List.of()));
    }
}
