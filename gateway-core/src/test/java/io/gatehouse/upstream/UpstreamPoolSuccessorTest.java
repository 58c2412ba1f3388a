package io.gatehouse.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.resilience.CircuitBreaker;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a reload carries over in a pool: a kept backend is the same object with its in-flight count, breaker state
 * and health; a new one waits for its first healthy probe where the pool has health checks; a removed one takes no
 * request once retired. The health executor is an embedded loop whose time the test drives.
 */
class UpstreamPoolSuccessorTest {
    private static final String A = "http://10.0.0.1:80";
    private static final String B = "http://10.0.0.2:80";
    private static final String C = "http://10.0.0.3:80";
    private static final String BREAKER = "circuit_breaker: {consecutive_failures: 2, open_for: 30s, "
            + "half_open_probes: 1}";

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel healthLoop = EmbeddedChannel.builder().ticker(ticker).build();

    @AfterEach
    void closeLoop() {
        assertThat(healthLoop.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aKeptBackendIsTheSameObjectWithItsInFlightRequestsAndOpenBreaker() {
        UpstreamPool before = pool(BREAKER, A, B);
        Backend a = before.backends().get(0);
        Backend b = before.backends().get(1);
        Choice.Chosen inFlight = reserve(before, a);
        openBreaker(before, b);

        UpstreamPool after = successor(before, BREAKER, A, B, C);

        assertThat(after.backends()).hasSize(3);
        assertThat(after.backends().get(0)).isSameAs(a);
        assertThat(after.backends().get(1)).isSameAs(b);
        assertThat(a.inFlight()).isEqualTo(1);
        assertThat(b.breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(firstAttempts(after, 6)).as("b stays out behind its open breaker").doesNotContain(b)
                .contains(a, after.backends().get(2));
        before.release(inFlight);
        assertThat(a.inFlight()).isZero();
    }

    @Test
    void aBreakerThatClosesAfterTheReloadRebuildsTheNewPoolNotTheOldOne() {
        UpstreamPool before = pool(BREAKER, A, B);
        Backend b = before.backends().get(1);
        openBreaker(before, b);
        UpstreamPool after = successor(before, BREAKER, A, B);

        ticker.advance(31, TimeUnit.SECONDS);
        healthLoop.runScheduledPendingTasks();
        healthLoop.runPendingTasks();
        Choice.Chosen probe = reserve(after, b); // half-open: one trial call
        after.judge(probe, false);
        after.release(probe);
        healthLoop.runPendingTasks();

        assertThat(b.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(firstAttempts(after, 4)).contains(b);
    }

    @Test
    void aBackendNewToAPoolWithHealthChecksWaitsForItsFirstHealthyProbe() {
        String check = "health_check: {interval: 1s, healthy_threshold: 3}";
        UpstreamPool before = pool(check, A);
        UpstreamPool after = successor(before, check, A, B);
        Backend b = after.backends().get(1);

        assertThat(b.isHealthy()).isFalse();
        assertThat(firstAttempts(after, 4)).containsOnly(before.backends().get(0));
        after.recordProbe(b, true, "200"); // the embedded loop: any thread is its thread

        assertThat(b.isHealthy()).as("one healthy probe is enough for a new backend").isTrue();
        assertThat(firstAttempts(after, 4)).contains(b);
    }

    /** A pool of one does not eject for failed connects, a pool of two does: the backend is kept all the same. */
    @Test
    void aPoolWithoutHealthChecksKeepsItsBackendAndUsesANewOneAtOnce() {
        UpstreamPool before = pool("", A);
        UpstreamPool after = successor(before, "", A, B);

        assertThat(after.backends().get(0)).isSameAs(before.backends().get(0));
        assertThat(firstAttempts(after, 4)).contains(after.backends().get(1));
    }

    @Test
    void aBackendWhoseWeightChangedIsReplacedButKeepsItsHealth() {
        String check = "health_check: {interval: 1s}";
        UpstreamPool before = pool(check, A, B);
        Backend b = before.backends().get(1);
        before.recordProbe(b, false, "503");
        before.recordProbe(b, false, "503");
        assertThat(b.isHealthy()).isFalse();

        UpstreamPool after = successor(before, check, A, "{url: \"" + B + "\", weight: 5}");

        assertThat(after.backends().get(0)).isSameAs(before.backends().get(0));
        assertThat(after.backends().get(1)).isNotSameAs(b);
        assertThat(after.backends().get(1).isHealthy()).isFalse();
    }

    @Test
    void aRetiredBackendTakesNoRequestEvenFromThePoolThatHadIt() {
        UpstreamPool before = pool("", A, B);
        Backend b = before.backends().get(1);
        Choice.Chosen held = reserve(before, b);
        UpstreamPool after = successor(before, "", A);

        assertThat(b.retire()).as("a request still holds it").isFalse();
        before.release(held);
        assertThat(b.retire()).isTrue();
        assertThat(firstAttempts(before, 4)).as("an older snapshot's requests").doesNotContain(b);
        assertThat(firstAttempts(after, 4)).doesNotContain(b);
    }

    private UpstreamPool pool(String poolKeys, String... backends) {
        return new UpstreamPool(config(poolKeys, backends), healthLoop.eventLoop(), NO_EVENTS, ticker::nanoTime);
    }

    /** The successor, made live as a published snapshot makes it. */
    private UpstreamPool successor(UpstreamPool before, String poolKeys, String... backends) {
        UpstreamPool after = before.successor(config(poolKeys, backends), NO_EVENTS);
        after.activate();
        healthLoop.runPendingTasks();
        return after;
    }

    private void openBreaker(UpstreamPool pool, Backend backend) {
        for (int i = 0; i < 2; i++) {
            Choice.Chosen chosen = reserve(pool, backend);
            pool.judge(chosen, true);
            pool.release(chosen);
        }
        healthLoop.runPendingTasks();
        assertThat(backend.breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    private static Choice.Chosen reserve(UpstreamPool pool, Backend backend) {
        long permit = backend.tryReserve();
        assertThat(permit).isNotEqualTo(CircuitBreaker.NO_PERMIT);
        return new Choice.Chosen(backend, permit);
    }

    private static List<Backend> firstAttempts(UpstreamPool pool, int requests) {
        List<Backend> chosen = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            Choice choice = pool.choose(List.of());
            if (choice instanceof Choice.Chosen c) {
                chosen.add(c.backend());
                pool.judge(c, false);
                pool.release(c);
            }
        }
        return chosen;
    }

    private static PoolConfig config(String poolKeys, String... backends) {
        String yaml = "pools:\n  users:\n    backends: [" + String.join(", ", backends) + "]\n"
                + poolKeys.indent(4) + "routes:\n  - {id: r, match: {path_prefix: /}, pool: users}\n";
        return ConfigLoader.parse(yaml, Map.of()).pools().get("users");
    }

    private static final PoolEvents NO_EVENTS = new PoolEvents() {
        @Override
        public void breakerTransitioned(Backend backend, CircuitBreaker.State to) {
        }

        @Override
        public void ejected(Backend backend, EjectionReason reason) {
        }
    };
}
