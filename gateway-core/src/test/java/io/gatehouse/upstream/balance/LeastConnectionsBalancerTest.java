package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;

import static io.gatehouse.upstream.balance.TestBackends.counts;
import static io.gatehouse.upstream.balance.TestBackends.picks;
import static io.gatehouse.upstream.balance.TestBackends.tally;
import static io.gatehouse.upstream.balance.TestBackends.untriedPicks;
import static io.gatehouse.upstream.balance.TestBackends.withWeights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LeastConnectionsBalancerTest {

    @Test
    void picksTheLeastLoadedBackend() {
        List<Backend> backends = withWeights(1, 1, 1);
        start(backends.get(0), 3);
        start(backends.get(1), 1);
        start(backends.get(2), 2);

        assertThat(picks(new LeastConnectionsBalancer(backends), 6)).containsOnly(backends.get(1));
    }

    @Test
    void followsTheLoadAsRequestsStartAndFinish() {
        List<Backend> backends = withWeights(1, 1, 1);
        Balancer balancer = new LeastConnectionsBalancer(backends);

        for (int i = 0; i < 300; i++) {
            balancer.pick().tryReserve();
            IntSummaryStatistics inFlight = backends.stream().mapToInt(Backend::inFlight).summaryStatistics();
            assertThat(inFlight.getMax() - inFlight.getMin()).isLessThanOrEqualTo(1);
        }
        backends.get(2).requestFinished();

        assertThat(balancer.pick()).isSameAs(backends.get(2));
    }

    @Test
    void sendsMostRequestsToTheBackendThatFinishesFaster() {
        List<Backend> backends = withWeights(1, 1);
        Backend fast = backends.get(0);
        Backend slow = backends.get(1);
        Balancer balancer = new LeastConnectionsBalancer(backends);
        // Simulated clock: 4 requests arrive per tick; fast ones last 2 ticks, slow ones 20.
        List<List<Backend>> finishingAt = new ArrayList<>();
        for (int tick = 0; tick < 10_020; tick++) {
            finishingAt.add(new ArrayList<>());
        }
        int fastPicks = 0;
        int slowPicks = 0;
        for (int tick = 0; tick < 10_000; tick++) {
            finishingAt.get(tick).forEach(Backend::requestFinished);
            for (int arrival = 0; arrival < 4; arrival++) {
                Backend backend = balancer.pick();
                backend.tryReserve();
                if (backend == fast) {
                    fastPicks++;
                    finishingAt.get(tick + 2).add(backend);
                } else {
                    slowPicks++;
                    finishingAt.get(tick + 20).add(backend);
                }
            }
        }

        // Equal in-flight counts mean about ten fast requests for every slow one; round robin would give 1:1.
        assertThat(fastPicks).isGreaterThan(5 * slowPicks);
        assertThat(slow.inFlight()).isGreaterThan(0);
    }

    @Test
    void comparesInFlightPerUnitOfWeight() {
        List<Backend> backends = withWeights(2, 1);
        Backend heavy = backends.get(0);
        Backend light = backends.get(1);
        Balancer balancer = new LeastConnectionsBalancer(backends);

        start(heavy, 3);
        start(light, 1);
        assertThat(picks(balancer, 4)).as("3/2 > 1/1").containsOnly(light);

        heavy.requestFinished();
        assertThat(counts(balancer, 10)).as("2/2 == 1/1: a tie, shared")
                .isEqualTo(Map.of(heavy, 5, light, 5));

        heavy.requestFinished();
        assertThat(picks(balancer, 4)).as("1/2 < 1/1").containsOnly(heavy);
    }

    @Test
    void rotatesAmongTiedBackends() {
        List<Backend> backends = withWeights(1, 1, 1);
        Backend a = backends.get(0);
        Backend b = backends.get(1);
        Backend c = backends.get(2);
        Balancer balancer = new LeastConnectionsBalancer(backends);

        assertThat(picks(balancer, 6)).containsExactly(a, b, c, a, b, c);

        start(b, 1);
        assertThat(picks(balancer, 6)).as("a and c still tie").containsOnly(a, c);
    }

    @Test
    void aRetryPicksTheLeastLoadedUntriedBackend() {
        List<Backend> backends = withWeights(1, 1, 1);
        Backend a = backends.get(0);
        Backend b = backends.get(1);
        Backend c = backends.get(2);
        Balancer balancer = new LeastConnectionsBalancer(backends);
        start(b, 3);
        start(c, 1);

        assertThat(untriedPicks(balancer, List.of(a), 20)).as("a is idle but was tried").containsOnly(c);
    }

    @Test
    void aRetrySharesTiesAmongTheUntried() {
        List<Backend> backends = withWeights(1, 1, 1);

        Map<Backend, Integer> counts = tally(untriedPicks(new LeastConnectionsBalancer(backends),
                List.of(backends.get(0)), 10_000));

        assertThat(counts).containsOnlyKeys(backends.get(1), backends.get(2))
                .allSatisfy((backend, count) -> assertThat(count).isCloseTo(5_000, within(400)));
    }

    private static void start(Backend backend, int requests) {
        for (int i = 0; i < requests; i++) {
            backend.tryReserve();
        }
    }
}
