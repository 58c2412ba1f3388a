package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gatehouse.upstream.balance.TestBackends.concurrentCounts;
import static io.gatehouse.upstream.balance.TestBackends.counts;
import static io.gatehouse.upstream.balance.TestBackends.picks;
import static io.gatehouse.upstream.balance.TestBackends.withWeights;
import static org.assertj.core.api.Assertions.assertThat;

class RoundRobinBalancerTest {
    private final List<Backend> backends = withWeights(1, 1, 1);
    private final Backend a = backends.get(0);
    private final Backend b = backends.get(1);
    private final Backend c = backends.get(2);

    @Test
    void cyclesInSnapshotOrder() {
        assertThat(picks(new RoundRobinBalancer(backends), 9)).containsExactly(a, b, c, a, b, c, a, b, c);
    }

    @Test
    void spreadsPicksEvenly() {
        List<Backend> four = withWeights(1, 1, 1, 1);

        Map<Backend, Integer> counts = counts(new RoundRobinBalancer(four), 4_000);

        assertThat(counts).containsOnlyKeys(four).allSatisfy((backend, count) -> assertThat(count).isEqualTo(1_000));
    }

    @Test
    void ignoresWeights() {
        List<Backend> weighted = withWeights(5, 1);

        assertThat(picks(new RoundRobinBalancer(weighted), 4))
                .containsExactly(weighted.get(0), weighted.get(1), weighted.get(0), weighted.get(1));
    }

    @Test
    void keepsCyclingAcrossIntegerOverflow() {
        // Integer.MAX_VALUE % 3 == 1, so the cycle starts at b and crosses 2^31 on the fifth pick.
        RoundRobinBalancer balancer = new RoundRobinBalancer(backends, Integer.MAX_VALUE - 3);

        assertThat(picks(balancer, 9)).containsExactly(b, c, a, b, c, a, b, c, a);
    }

    @Test
    void staysInRangeEvenIfTheCounterWraps() {
        RoundRobinBalancer balancer = new RoundRobinBalancer(backends, Long.MAX_VALUE - 2);

        assertThat(picks(balancer, 6)).allSatisfy(pick -> assertThat(backends).contains(pick));
    }

    @Test
    void concurrentPicksStayExactlyEven() throws Exception {
        Map<Backend, Integer> counts = concurrentCounts(new RoundRobinBalancer(backends), 4, 30_000);

        assertThat(counts).containsOnlyKeys(backends).allSatisfy((backend, count) -> assertThat(count).isEqualTo(40_000));
    }
}
