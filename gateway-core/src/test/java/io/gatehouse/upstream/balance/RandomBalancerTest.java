package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gatehouse.upstream.balance.TestBackends.counts;
import static io.gatehouse.upstream.balance.TestBackends.withWeights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RandomBalancerTest {

    @Test
    void spreadsPicksUniformly() {
        List<Backend> backends = withWeights(1, 1, 1);

        Map<Backend, Integer> counts = counts(new RandomBalancer(backends), 30_000);

        // ±5% of 10,000 is about six standard deviations: a fair balancer essentially never fails this.
        assertThat(counts).containsOnlyKeys(backends)
                .allSatisfy((backend, count) -> assertThat(count).isCloseTo(10_000, within(500)));
    }

    @Test
    void ignoresWeights() {
        List<Backend> backends = withWeights(8, 1);

        Map<Backend, Integer> counts = counts(new RandomBalancer(backends), 20_000);

        assertThat(counts).containsOnlyKeys(backends)
                .allSatisfy((backend, count) -> assertThat(count).isCloseTo(10_000, within(500)));
    }
}
