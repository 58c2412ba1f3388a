package io.gatehouse.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.config.PoolConfig.Strategy;
import io.gatehouse.resilience.CircuitBreaker;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How a pool chooses backends for first attempts and retries, and how a failed connect takes a backend out of
 * balancing and lets it back. The pool's health executor is an embedded event loop whose time the test drives,
 * and the backends are never connected to.
 */
class UpstreamPoolTest {
    private static final ConnectException REFUSED = new ConnectException("Connection refused");

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel healthLoop = EmbeddedChannel.builder().ticker(ticker).build();
    private final List<String> ejections = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeLoop() {
        assertThat(healthLoop.finishAndReleaseAll()).isFalse();
    }

    /**
     * Every request's first attempt on backend A fails and is retried. The retry must not move the rotation, or the
     * next request's first attempt would skip B and land on A again: with the shared position advanced by each
     * retry, all twenty first attempts went to A.
     */
    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"ROUND_ROBIN", "WEIGHTED_ROUND_ROBIN", "LEAST_CONNECTIONS"})
    void aRetryDoesNotMoveTheRotationThatFirstAttemptsShare(Strategy strategy) {
        UpstreamPool pool = pool(strategy, "connect_failure_ejection: {base_ejection_time: 0s}");
        Backend a = pool.backends().get(0);
        Backend b = pool.backends().get(1);

        List<Backend> firstAttempts = new ArrayList<>();
        for (int request = 0; request < 20; request++) {
            Backend first = attempt(pool, List.of(), true);
            firstAttempts.add(first);
            if (first == a) {
                assertThat(attempt(pool, List.of(a), true)).as("the retry of request %d", request).isSameAs(b);
            }
        }

        assertThat(firstAttempts.subList(0, 4)).containsExactly(a, b, a, b);
        assertThat(firstAttempts).as("first attempts at the failing backend").filteredOn(a::equals).hasSize(10);
    }

    /** Random balancing has no shared position; its retries still go only to untried backends. */
    @Test
    void randomFirstAttemptsStayEvenWhenEveryAttemptOnOneBackendIsRetried() {
        UpstreamPool pool = pool(Strategy.RANDOM, "connect_failure_ejection: {base_ejection_time: 0s}");
        Backend a = pool.backends().get(0);
        Backend b = pool.backends().get(1);

        int firstAtA = 0;
        for (int request = 0; request < 2_000; request++) {
            if (attempt(pool, List.of(), true) == a) {
                firstAtA++;
                assertThat(attempt(pool, List.of(a), true)).isSameAs(b);
            }
        }

        // ±100 is about 4.5 standard deviations of a fair coin over 2,000 throws.
        assertThat(firstAtA).isBetween(900, 1_100);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aRetryWithEveryBackendTriedReusesOne(Strategy strategy) {
        UpstreamPool pool = pool(strategy, "");

        assertThat(attempt(pool, pool.backends(), false)).isIn(pool.backends());
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aFailedConnectTakesTheBackendOutForTheBaseTimeThenItReturnsByItself(Strategy strategy) {
        UpstreamPool pool = pool(strategy, "connect_failure_ejection: {base_ejection_time: 2s, max_ejection_time: 10s}");
        Backend a = pool.backends().get(0);
        Backend b = pool.backends().get(1);

        pool.reportConnectFailure(a, REFUSED);
        healthLoop.runPendingTasks();

        assertThat(a.isEjected()).isTrue();
        assertThat(ejections).containsExactly(a + " connect_failure");
        assertThat(firstAttempts(pool, 10)).containsOnly(b);

        advanceSeconds(1.9);
        assertThat(firstAttempts(pool, 10)).as("1.9 s after").containsOnly(b);

        advanceSeconds(0.1);
        assertThat(a.isEjected()).isFalse();
        assertThat(firstAttempts(pool, 10)).as("2 s after").contains(a, b);
    }

    @Test
    void eachEjectionInARowLastsOneBaseTimeLongerUpToTheCap() {
        UpstreamPool pool = pool(Strategy.ROUND_ROBIN,
                "connect_failure_ejection: {base_ejection_time: 1s, max_ejection_time: 3s}");
        Backend a = pool.backends().get(0);

        List<Double> secondsOut = new ArrayList<>();
        for (int ejection = 0; ejection < 5; ejection++) {
            pool.reportConnectFailure(a, REFUSED); // it still refuses the moment it returns
            healthLoop.runPendingTasks();
            double out = 0;
            while (a.isEjected()) {
                advanceSeconds(0.5);
                out += 0.5;
            }
            secondsOut.add(out);
        }

        assertThat(secondsOut).containsExactly(1.0, 2.0, 3.0, 3.0, 3.0);
    }

    @Test
    void aBackendThatStaysInIsForgivenOneEjectionPerBaseTime() {
        UpstreamPool pool = pool(Strategy.ROUND_ROBIN,
                "connect_failure_ejection: {base_ejection_time: 1s, max_ejection_time: 10s}");
        Backend a = pool.backends().get(0);
        for (int ejection = 0; ejection < 3; ejection++) { // out for 1 s, 2 s, then 3 s
            ejectAndWaitForReturn(pool, a);
        }

        advanceSeconds(2); // two base times in: two of its three ejections forgiven
        pool.reportConnectFailure(a, REFUSED);
        healthLoop.runPendingTasks();
        advanceSeconds(1.5);

        assertThat(a.isEjected()).as("out for 2 s (its second ejection), not 4 s").isTrue();
        advanceSeconds(0.5);
        assertThat(a.isEjected()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void whenEveryBackendRefusesRequestsStillTryThemAllRatherThanGet503(Strategy strategy) {
        UpstreamPool pool = pool(strategy, "connect_failure_ejection: {base_ejection_time: 30s}");
        for (Backend backend : pool.backends()) {
            pool.reportConnectFailure(backend, REFUSED);
        }
        healthLoop.runPendingTasks();

        assertThat(pool.backends()).allSatisfy(backend -> assertThat(backend.isEjected()).isTrue());
        Set<Backend> tried = new HashSet<>(firstAttempts(pool, 50));
        assertThat(tried).as("first attempts").containsExactlyInAnyOrderElementsOf(pool.backends());
        Backend first = attempt(pool, List.of(), false);
        assertThat(attempt(pool, List.of(first), false)).as("a retry goes to the other one").isNotSameAs(first);
    }

    @Test
    void aPoolOfOneNeverEjectsItsBackend() {
        UpstreamPool pool = new UpstreamPool(config(Strategy.ROUND_ROBIN, "", "http://10.0.0.1:80"),
                healthLoop.eventLoop(), events(), ticker::nanoTime);
        Backend only = pool.backends().get(0);

        pool.reportConnectFailure(only, REFUSED);
        healthLoop.runPendingTasks();

        assertThat(only.isEjected()).isFalse();
        assertThat(ejections).isEmpty();
    }

    @Test
    void withHealthChecksAFailedConnectMarksTheBackendDownUntilTheChecksPass() {
        UpstreamPool pool = pool(Strategy.ROUND_ROBIN, "health_check: {interval: 1s}");
        Backend a = pool.backends().get(0);
        Backend b = pool.backends().get(1);

        pool.reportConnectFailure(a, REFUSED);
        healthLoop.runPendingTasks();
        advanceSeconds(600);

        assertThat(a.isHealthy()).isFalse();
        assertThat(a.isEjected()).isFalse();
        assertThat(ejections).isEmpty();
        assertThat(firstAttempts(pool, 10)).containsOnly(b);
        pool.recordProbe(a, true, "200");
        pool.recordProbe(a, true, "200");
        assertThat(firstAttempts(pool, 10)).contains(a, b);
    }

    @Test
    void aFailedConnectAtABackendOutOfBalancingAlreadyIsNoNewEjection() {
        UpstreamPool pool = pool(Strategy.ROUND_ROBIN, "");
        Backend a = pool.backends().get(0);

        for (int i = 0; i < 5; i++) { // requests that chose it before it went out fail too
            pool.reportConnectFailure(a, REFUSED);
        }
        healthLoop.runPendingTasks();

        assertThat(ejections).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aDrainedBackendTakesNoNewRequestsNotEvenRetriesWhileItsInFlightOnesFinish(Strategy strategy) {
        UpstreamPool pool = pool(strategy, "");
        pool.activate();
        healthLoop.runPendingTasks();
        Choice.Chosen held = (Choice.Chosen) pool.choose(List.of());
        Backend drained = held.backend();
        Backend other = pool.backends().get(pool.backends().indexOf(drained) == 0 ? 1 : 0);

        CompletableFuture<Void> done = pool.setDrained(drained, true);
        healthLoop.runPendingTasks();

        assertThat(done).isCompleted();
        assertThat(drained.isDrained()).isTrue();
        assertThat(firstAttempts(pool, 10)).containsOnly(other);
        assertThat(attempt(pool, List.of(other), true)).as("a retry").isSameAs(other);
        assertThat(drained.inFlight()).isEqualTo(1); // the request sent before goes on
        pool.judge(held, false);
        pool.release(held);
        assertThat(drained.inFlight()).isZero();

        pool.setDrained(drained, false);
        healthLoop.runPendingTasks();
        assertThat(firstAttempts(pool, 10)).contains(drained, other);
    }

    @Test
    void aDrainOutlivesAReloadThatChangesTheBackendsWeight() {
        UpstreamPool pool = pool(Strategy.WEIGHTED_ROUND_ROBIN, "");
        pool.activate();
        Backend drained = pool.backends().get(0);
        pool.setDrained(drained, true);
        healthLoop.runPendingTasks();

        UpstreamPool next = pool.successor(config(Strategy.WEIGHTED_ROUND_ROBIN, "",
                "{url: \"http://10.0.0.1:80\", weight: 3}", "http://10.0.0.2:80"), events());
        next.activate();
        healthLoop.runPendingTasks();

        assertThat(next.backends().get(0)).isNotSameAs(drained);
        assertThat(next.backends().get(0).isDrained()).isTrue();
        assertThat(firstAttempts(next, 8)).containsOnly(next.backends().get(1));
    }

    /** Chooses a backend for an attempt after {@code tried}, and ends the attempt as failed or not. */
    private static Backend attempt(UpstreamPool pool, List<Backend> tried, boolean failed) {
        Choice choice = pool.choose(tried);
        assertThat(choice).as("choice after %s", tried).isInstanceOf(Choice.Chosen.class);
        Choice.Chosen chosen = (Choice.Chosen) choice;
        pool.judge(chosen, failed);
        pool.release(chosen);
        return chosen.backend();
    }

    private static List<Backend> firstAttempts(UpstreamPool pool, int requests) {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            backends.add(attempt(pool, List.of(), false));
        }
        return backends;
    }

    private void ejectAndWaitForReturn(UpstreamPool pool, Backend backend) {
        pool.reportConnectFailure(backend, REFUSED);
        healthLoop.runPendingTasks();
        while (backend.isEjected()) {
            advanceSeconds(0.5);
        }
    }

    private void advanceSeconds(double seconds) {
        ticker.advance((long) (seconds * 1_000_000_000L), TimeUnit.NANOSECONDS);
        healthLoop.runScheduledPendingTasks();
        healthLoop.runPendingTasks();
    }

    private UpstreamPool pool(Strategy strategy, String poolKeys) {
        return new UpstreamPool(config(strategy, poolKeys, "http://10.0.0.1:80", "http://10.0.0.2:80"),
                healthLoop.eventLoop(), events(), ticker::nanoTime);
    }

    private static PoolConfig config(Strategy strategy, String poolKeys, String... backends) {
        String yaml = "pools:\n  users:\n    strategy: " + strategy.yamlName() + "\n    backends: ["
                + String.join(", ", backends) + "]\n" + poolKeys.indent(4)
                + "routes:\n  - {id: r, match: {path_prefix: /}, pool: users}\n";
        return ConfigLoader.parse(yaml, Map.of()).pools().get("users");
    }

    private PoolEvents events() {
        return new PoolEvents() {
            @Override
            public void breakerTransitioned(Backend backend, CircuitBreaker.State to) {
            }

            @Override
            public void ejected(Backend backend, EjectionReason reason) {
                ejections.add(backend + " " + reason.label());
            }
        };
    }
}
