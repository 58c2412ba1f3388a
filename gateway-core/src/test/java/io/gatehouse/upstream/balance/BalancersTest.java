package io.gatehouse.upstream.balance;

import io.gatehouse.config.PoolConfig.Strategy;
import io.gatehouse.upstream.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static io.gatehouse.upstream.balance.TestBackends.picks;
import static io.gatehouse.upstream.balance.TestBackends.untriedPicks;
import static io.gatehouse.upstream.balance.TestBackends.withWeights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BalancersTest {
    private final List<Backend> backends = withWeights(2, 1);
    private final Backend heavy = backends.get(0);
    private final Backend light = backends.get(1);

    @Test
    void roundRobinIgnoresWeights() {
        assertThat(picks(Balancers.create(Strategy.ROUND_ROBIN, backends), 4)).containsExactly(heavy, light, heavy, light);
    }

    @Test
    void weightedRoundRobinHonoursWeights() {
        assertThat(picks(Balancers.create(Strategy.WEIGHTED_ROUND_ROBIN, backends), 6))
                .containsExactly(heavy, light, heavy, heavy, light, heavy);
    }

    @Test
    void weightedRoundRobinWithEqualWeightsIsRoundRobin() {
        List<Backend> equal = withWeights(7, 7, 7);

        assertThat(picks(Balancers.create(Strategy.WEIGHTED_ROUND_ROBIN, equal), 6))
                .containsExactly(equal.get(0), equal.get(1), equal.get(2), equal.get(0), equal.get(1), equal.get(2));
    }

    @Test
    void leastConnectionsAvoidsTheBusyBackend() {
        heavy.tryReserve();
        heavy.tryReserve();
        heavy.tryReserve();

        assertThat(picks(Balancers.create(Strategy.LEAST_CONNECTIONS, backends), 4)).containsOnly(light);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void everyStrategyPicksFromTheSnapshot(Strategy strategy) {
        assertThat(picks(Balancers.create(strategy, backends), 100)).isSubsetOf(backends);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aRetryPicksAmongTheUntriedOnly(Strategy strategy) {
        List<Backend> three = withWeights(1, 1, 1);
        Balancer balancer = Balancers.create(strategy, three);

        assertThat(untriedPicks(balancer, List.of(three.get(0)), 200)).containsOnly(three.get(1), three.get(2));
        assertThat(untriedPicks(balancer, List.of(three.get(0), three.get(2)), 20)).containsOnly(three.get(1));
        assertThat(balancer.pickUntried(three)).as("every member tried").isNull();
    }

    /** Retries interleaved with first attempts leave the first attempts' order exactly as it was. */
    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"ROUND_ROBIN", "WEIGHTED_ROUND_ROBIN", "LEAST_CONNECTIONS"})
    void aRetryDoesNotMoveTheRotation(Strategy strategy) {
        List<Backend> three = withWeights(3, 2, 1);
        Balancer undisturbed = Balancers.create(strategy, three);
        Balancer retried = Balancers.create(strategy, three);

        for (int request = 0; request < 60; request++) {
            Backend first = retried.pick();
            assertThat(first).as("first attempt of request %d", request).isSameAs(undisturbed.pick());
            retried.pickUntried(List.of(first));
        }
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void rejectsAnEmptySnapshot(Strategy strategy) {
        assertThatIllegalArgumentException().isThrownBy(() -> Balancers.create(strategy, List.of()));
    }
}
