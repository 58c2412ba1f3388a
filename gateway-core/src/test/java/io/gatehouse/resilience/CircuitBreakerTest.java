package io.gatehouse.resilience;

import static io.gatehouse.resilience.CircuitBreaker.NO_PERMIT;
import static io.gatehouse.resilience.CircuitBreaker.State.CLOSED;
import static io.gatehouse.resilience.CircuitBreaker.State.HALF_OPEN;
import static io.gatehouse.resilience.CircuitBreaker.State.OPEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's state machine on a clock the test moves. */
class CircuitBreakerTest {
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final AtomicLong clock = new AtomicLong(TimeUnit.SECONDS.toNanos(5_000));
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private final CircuitBreaker.Listener listener = (breaker, from, to) -> transitions.add(from + "->" + to);

    private CircuitBreaker breaker(int failureRatePercent, int minimumCalls, int consecutiveFailures, int probes) {
        return new CircuitBreaker(new CircuitBreakerConfig(failureRatePercent, minimumCalls, WINDOW,
                consecutiveFailures, OPEN_FOR, probes), clock::get, listener);
    }

    /** Opens on consecutive failures only. */
    private CircuitBreaker consecutive(int failures, int probes) {
        return breaker(0, 1, failures, probes);
    }

    private static void call(CircuitBreaker breaker, boolean failed) {
        long permit = breaker.tryAcquire();
        assertThat(permit).as("a permit").isNotEqualTo(NO_PERMIT);
        breaker.record(permit, failed);
    }

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    /** Opens the breaker, lets open_for pass and half-opens it. */
    private void halfOpen(CircuitBreaker breaker) {
        while (breaker.state() == CLOSED) {
            call(breaker, true);
        }
        assertThat(breaker.state()).isEqualTo(OPEN);
        advance(OPEN_FOR);
        breaker.halfOpenIfDue();
        assertThat(breaker.state()).isEqualTo(HALF_OPEN);
    }

    @Test
    void opensAfterConsecutiveFailuresAndASuccessResetsTheRun() {
        CircuitBreaker breaker = consecutive(3, 1);

        call(breaker, true);
        call(breaker, true);
        call(breaker, false);
        call(breaker, true);
        call(breaker, true);
        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(transitions).isEmpty();

        call(breaker, true);
        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(transitions).containsExactly("CLOSED->OPEN");
    }

    @Test
    void opensOnTheFailureRateOnlyOnceMinimumCallsAreInTheWindow() {
        CircuitBreaker breaker = breaker(50, 10, 0, 1);

        for (int i = 0; i < 9; i++) {
            call(breaker, true);
        }
        assertThat(breaker.state()).as("100% of 9 calls, below minimum_calls").isEqualTo(CLOSED);

        call(breaker, true);
        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(transitions).containsExactly("CLOSED->OPEN");
    }

    @Test
    void opensWhenTheRateReachesTheThresholdAndNotBelowIt() {
        CircuitBreaker breaker = breaker(50, 10, 0, 1);

        for (int i = 0; i < 6; i++) {
            call(breaker, false);
        }
        for (int i = 0; i < 4; i++) {
            call(breaker, true);
        }
        assertThat(breaker.state()).as("4 of 10 failed: 40%").isEqualTo(CLOSED);

        call(breaker, true);
        assertThat(breaker.state()).as("5 of 11 failed: 45%").isEqualTo(CLOSED);
        call(breaker, true);
        assertThat(breaker.state()).as("6 of 12 failed: 50%").isEqualTo(OPEN);
    }

    @Test
    void theRateTriggerIsOffWhenFailureRateIsZero() {
        CircuitBreaker breaker = breaker(0, 1, 0, 1);

        for (int i = 0; i < 1_000; i++) {
            call(breaker, true);
        }

        assertThat(breaker.state()).isEqualTo(CLOSED);
        assertThat(transitions).isEmpty();
    }

    @Test
    void failuresThatLeftTheWindowDoNotCountTowardsTheRate() {
        CircuitBreaker breaker = breaker(50, 4, 0, 1);

        call(breaker, true);
        call(breaker, true);
        call(breaker, true);
        advance(WINDOW);
        call(breaker, true);
        assertThat(breaker.state()).as("only 1 call in the window").isEqualTo(CLOSED);

        call(breaker, true);
        call(breaker, true);
        assertThat(breaker.state()).isEqualTo(CLOSED);
        call(breaker, true);
        assertThat(breaker.state()).isEqualTo(OPEN);
    }

    @Test
    void anOpenBreakerRefusesPermitsAndSaysWhenItHalfOpens() {
        CircuitBreaker breaker = consecutive(1, 1);
        assertThat(breaker.nanosUntilHalfOpen()).as("closed").isZero();

        call(breaker, true);

        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(breaker.tryAcquire()).isEqualTo(NO_PERMIT);
        assertThat(breaker.nanosUntilHalfOpen()).isEqualTo(OPEN_FOR.toNanos());
        advance(Duration.ofSeconds(10));
        assertThat(breaker.tryAcquire()).isEqualTo(NO_PERMIT);
        assertThat(breaker.nanosUntilHalfOpen()).isEqualTo(Duration.ofSeconds(20).toNanos());
        advance(Duration.ofSeconds(25));
        assertThat(breaker.nanosUntilHalfOpen()).as("overdue, never negative").isZero();
        assertThat(breaker.tryAcquire()).as("still open until halfOpenIfDue runs").isEqualTo(NO_PERMIT);
    }

    @Test
    void halfOpenIfDueDoesNothingBeforeOpenForAndHalfOpensAfter() {
        CircuitBreaker breaker = consecutive(1, 1);
        breaker.halfOpenIfDue();
        assertThat(breaker.state()).as("no-op while closed").isEqualTo(CLOSED);
        call(breaker, true);

        advance(OPEN_FOR.minusNanos(1));
        breaker.halfOpenIfDue();
        assertThat(breaker.state()).isEqualTo(OPEN);

        advance(Duration.ofNanos(1));
        breaker.halfOpenIfDue();
        assertThat(breaker.state()).isEqualTo(HALF_OPEN);
        assertThat(breaker.nanosUntilHalfOpen()).isZero();
        breaker.halfOpenIfDue();
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
    }

    @Test
    void halfOpenAdmitsExactlyHalfOpenProbesPermits() {
        CircuitBreaker breaker = consecutive(1, 3);
        halfOpen(breaker);

        long first = breaker.tryAcquire();
        long second = breaker.tryAcquire();
        long third = breaker.tryAcquire();

        assertThat(List.of(first, second, third)).doesNotContain(NO_PERMIT);
        assertThat(breaker.tryAcquire()).isEqualTo(NO_PERMIT);
        assertThat(breaker.tryAcquire()).isEqualTo(NO_PERMIT);
    }

    @Test
    void allProbesSucceedingClosesTheBreakerWithAFreshWindow() {
        CircuitBreaker breaker = consecutive(2, 3);
        halfOpen(breaker);
        long[] probes = {breaker.tryAcquire(), breaker.tryAcquire(), breaker.tryAcquire()};

        breaker.record(probes[0], false);
        breaker.record(probes[1], false);
        assertThat(breaker.state()).isEqualTo(HALF_OPEN);
        breaker.record(probes[2], false);
        assertThat(breaker.state()).isEqualTo(CLOSED);

        call(breaker, true);
        assertThat(breaker.state()).as("the failures before opening no longer count").isEqualTo(CLOSED);
        call(breaker, true);
        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED",
                "CLOSED->OPEN");
    }

    @Test
    void oneProbeFailingReopensForAnotherOpenFor() {
        CircuitBreaker breaker = consecutive(1, 3);
        halfOpen(breaker);
        long[] probes = {breaker.tryAcquire(), breaker.tryAcquire(), breaker.tryAcquire()};

        breaker.record(probes[0], false);
        breaker.record(probes[1], true);

        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(breaker.nanosUntilHalfOpen()).isEqualTo(OPEN_FOR.toNanos());
        breaker.record(probes[2], false);
        assertThat(breaker.state()).as("a probe of the earlier half-open phase is ignored").isEqualTo(OPEN);
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
    }

    @Test
    void cancelGivesAProbeBack() {
        CircuitBreaker breaker = consecutive(1, 2);
        halfOpen(breaker);
        long first = breaker.tryAcquire();
        long second = breaker.tryAcquire();

        breaker.cancel(second);
        long third = breaker.tryAcquire();

        assertThat(third).isNotEqualTo(NO_PERMIT);
        breaker.record(first, false);
        breaker.record(third, false);
        assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    /**
     * Refused half-open calls must not count as probes: otherwise a cancel() after one would free no slot, and with
     * half_open_probes 1 the breaker would stay half-open for good, refusing every call.
     */
    @Test
    void cancelGivesAProbeBackEvenAfterOtherCallsWereRefused() {
        CircuitBreaker breaker = consecutive(1, 1);
        halfOpen(breaker);
        long probe = breaker.tryAcquire();
        assertThat(breaker.tryAcquire()).as("the only probe is taken").isEqualTo(NO_PERMIT);

        breaker.cancel(probe); // its client left: no verdict on the backend
        advance(OPEN_FOR.multipliedBy(10));
        breaker.halfOpenIfDue();

        long retry = breaker.tryAcquire();
        assertThat(retry).as("the probe given back can be taken again").isNotEqualTo(NO_PERMIT);
        breaker.record(retry, false);
        assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void cancellingAPermitOfAnEarlierPhaseFreesNoProbe() {
        CircuitBreaker breaker = consecutive(1, 1);
        long closedPermit = breaker.tryAcquire();
        halfOpen(breaker);
        long probe = breaker.tryAcquire();

        breaker.cancel(closedPermit);

        assertThat(breaker.tryAcquire()).isEqualTo(NO_PERMIT);
        breaker.record(probe, false);
        assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void aSlowCallFromTheClosedPhaseCanNeitherCloseNorReopenAHalfOpenBreaker() {
        CircuitBreaker breaker = consecutive(1, 1);
        long slow = breaker.tryAcquire();
        halfOpen(breaker);

        breaker.record(slow, false);
        assertThat(breaker.state()).as("a late success does not close it").isEqualTo(HALF_OPEN);
        breaker.record(slow, true);
        assertThat(breaker.state()).as("a late failure does not reopen it").isEqualTo(HALF_OPEN);

        long probe = breaker.tryAcquire();
        assertThat(probe).as("and it took no probe").isNotEqualTo(NO_PERMIT);
        breaker.record(probe, false);
        assertThat(breaker.state()).isEqualTo(CLOSED);

        breaker.record(slow, true);
        assertThat(breaker.state()).as("nor does it count once closed again").isEqualTo(CLOSED);
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void aLateProbeOutcomeDoesNotCountInTheNextClosedPhase() {
        CircuitBreaker breaker = consecutive(1, 2);
        halfOpen(breaker);
        long first = breaker.tryAcquire();
        long second = breaker.tryAcquire();
        breaker.record(first, false);
        breaker.record(second, false);
        assertThat(breaker.state()).isEqualTo(CLOSED);

        breaker.record(first, true);

        assertThat(breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void outcomesWithoutAPermitAreIgnored() {
        CircuitBreaker breaker = consecutive(1, 1);
        call(breaker, true);

        breaker.record(NO_PERMIT, true);
        breaker.record(NO_PERMIT, false);
        breaker.cancel(NO_PERMIT);

        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(transitions).containsExactly("CLOSED->OPEN");
    }

    @Test
    void theListenerSeesEachTransitionOnceWithItsBreaker() {
        List<CircuitBreaker> reported = new CopyOnWriteArrayList<>();
        CircuitBreaker breaker = new CircuitBreaker(new CircuitBreakerConfig(0, 1, WINDOW, 1, OPEN_FOR, 1),
                clock::get, (b, from, to) -> {
                    reported.add(b);
                    transitions.add(from + "->" + to);
                });

        long a = breaker.tryAcquire();
        long b = breaker.tryAcquire();
        breaker.record(a, true);
        breaker.record(b, true); // a second failure of the closed phase: already open
        advance(OPEN_FOR);
        breaker.halfOpenIfDue();
        breaker.halfOpenIfDue();
        long probe = breaker.tryAcquire();
        breaker.record(probe, true);
        breaker.record(probe, true);
        advance(OPEN_FOR);
        breaker.halfOpenIfDue();
        probe = breaker.tryAcquire();
        breaker.record(probe, false);
        breaker.record(probe, false);

        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN",
                "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
        assertThat(reported).hasSize(5).allSatisfy(r -> assertThat(r).isSameAs(breaker));
    }

    @Test
    void racingFailuresOpenTheBreakerOnce() throws InterruptedException {
        CircuitBreaker breaker = consecutive(1, 1);
        int threads = 8;
        long[] permits = new long[threads];
        for (int i = 0; i < threads; i++) {
            permits[i] = breaker.tryAcquire();
        }
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            long permit = permits[i];
            workers[i] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                breaker.record(permit, true);
            });
            workers[i].start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        assertThat(breaker.state()).isEqualTo(OPEN);
        assertThat(transitions).containsExactly("CLOSED->OPEN");
    }

    @Test
    void statesHaveTheirGaugeValuesAndLabels() {
        assertThat(CLOSED.gaugeValue()).isZero();
        assertThat(OPEN.gaugeValue()).isEqualTo(1);
        assertThat(HALF_OPEN.gaugeValue()).isEqualTo(2);
        assertThat(List.of(CLOSED.label(), OPEN.label(), HALF_OPEN.label()))
                .containsExactly("closed", "open", "half_open");
    }
}
