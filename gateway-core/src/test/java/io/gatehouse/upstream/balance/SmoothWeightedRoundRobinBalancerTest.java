package io.gatehouse.upstream.balance;

import io.gatehouse.upstream.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.gatehouse.upstream.balance.TestBackends.concurrentCounts;
import static io.gatehouse.upstream.balance.TestBackends.counts;
import static io.gatehouse.upstream.balance.TestBackends.picks;
import static io.gatehouse.upstream.balance.TestBackends.tally;
import static io.gatehouse.upstream.balance.TestBackends.untriedPicks;
import static io.gatehouse.upstream.balance.TestBackends.withWeights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SmoothWeightedRoundRobinBalancerTest {

    @Test
    void followsNginxOrderForWeights511() {
        List<Backend> backends = withWeights(5, 1, 1);
        Backend a = backends.get(0);
        Backend b = backends.get(1);
        Backend c = backends.get(2);

        assertThat(picks(new SmoothWeightedRoundRobinBalancer(backends), 14))
                .containsExactly(a, a, b, a, c, a, a, a, a, b, a, c, a, a);
    }

    @Test
    void countsAreExactlyProportionalToWeights() {
        List<Backend> backends = withWeights(3, 2, 1);

        Map<Backend, Integer> counts = counts(new SmoothWeightedRoundRobinBalancer(backends), 6_000);

        assertThat(counts).containsExactlyInAnyOrderEntriesOf(
                Map.of(backends.get(0), 3_000, backends.get(1), 2_000, backends.get(2), 1_000));
    }

    @Test
    void interleavesInsteadOfSendingRuns() {
        List<Backend> backends = withWeights(3, 2, 1);

        List<Backend> picks = picks(new SmoothWeightedRoundRobinBalancer(backends), 600);

        // Plain weighted round robin would send a,a,a,b,b,c: runs of 3 and 2.
        assertThat(longestRun(picks, backends.get(0))).isEqualTo(2);
        assertThat(longestRun(picks, backends.get(1))).isEqualTo(1);
        assertThat(longestRun(picks, backends.get(2))).isEqualTo(1);
    }

    /**
     * Smoothness in general: after every pick, each backend's count is less than one pick away from its
     * exact weighted share of the picks so far. Sending a backend's picks in a block breaks this.
     */
    @ParameterizedTest
    @ValueSource(strings = {"5,1,1", "3,2,1", "4,3,2,1", "7,3", "10,1", "6,3,2,1,1"})
    void everyPrefixStaysWithinOnePickOfTheWeightedShare(String weightList) {
        int[] weights = Arrays.stream(weightList.split(",")).mapToInt(Integer::parseInt).toArray();
        List<Backend> backends = withWeights(weights);
        int total = Arrays.stream(weights).sum();
        Balancer balancer = new SmoothWeightedRoundRobinBalancer(backends);
        int[] counts = new int[weights.length];

        for (int pick = 1; pick <= 3 * total; pick++) {
            counts[backends.indexOf(balancer.pick())]++;
            for (int i = 0; i < weights.length; i++) {
                double share = (double) pick * weights[i] / total;
                assertThat((double) counts[i]).as("backend %d after %d picks", i, pick).isCloseTo(share, within(0.99));
            }
        }
    }

    @Test
    void concurrentPicksKeepExactProportions() throws Exception {
        List<Backend> backends = withWeights(5, 1, 1);

        Map<Backend, Integer> counts = concurrentCounts(new SmoothWeightedRoundRobinBalancer(backends), 4, 17_500);

        assertThat(counts).containsExactlyInAnyOrderEntriesOf(
                Map.of(backends.get(0), 50_000, backends.get(1), 10_000, backends.get(2), 10_000));
    }

    @Test
    void aRetryPicksAmongTheUntriedByWeight() {
        List<Backend> backends = withWeights(3, 2, 1);

        Map<Backend, Integer> counts = tally(untriedPicks(new SmoothWeightedRoundRobinBalancer(backends),
                List.of(backends.get(0)), 30_000));

        // 2:1 is 20,000 and 10,000; ±600 is about six standard deviations.
        assertThat(counts).containsOnlyKeys(backends.get(1), backends.get(2));
        assertThat(counts.get(backends.get(1))).isCloseTo(20_000, within(600));
    }

    @Test
    void weightsWithACommonFactorGiveTheSameOrder() {
        List<Backend> reduced = withWeights(5, 1, 1);
        List<Backend> scaled = withWeights(500, 100, 100);

        List<Integer> reducedOrder = picks(new SmoothWeightedRoundRobinBalancer(reduced), 70).stream()
                .map(reduced::indexOf).toList();
        List<Integer> scaledOrder = picks(new SmoothWeightedRoundRobinBalancer(scaled), 70).stream()
                .map(scaled::indexOf).toList();

        assertThat(scaledOrder).isEqualTo(reducedOrder);
    }

    @Test
    void poolsBeyondTheSequenceCapRepeatWithinTheCapAndKeepApproximateProportions() {
        // 100 backends of weight 1000 and 50 of weight 333 (coprime) would need a period of 116,650 picks.
        int[] weights = new int[150];
        Arrays.fill(weights, 0, 100, 1000);
        Arrays.fill(weights, 100, 150, 333);
        List<Backend> backends = withWeights(weights);
        Balancer balancer = new SmoothWeightedRoundRobinBalancer(backends);
        int[] order = new int[2 * SmoothWeightedSequence.MAX_LENGTH];
        int[] counts = new int[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = backends.indexOf(balancer.pick());
            counts[order[i]]++;
        }

        assertThat(IntStream.rangeClosed(1, SmoothWeightedSequence.MAX_LENGTH).filter(p -> isPeriodic(order, p)))
                .as("the order repeats within %d picks", SmoothWeightedSequence.MAX_LENGTH)
                .isNotEmpty();
        for (int i = 0; i < weights.length; i++) {
            double share = (double) order.length * weights[i] / 116_650;
            assertThat((double) counts[i]).as("backend %d", i).isCloseTo(share, within(share * 0.01));
        }
    }

    private static boolean isPeriodic(int[] order, int period) {
        for (int i = period; i < order.length; i++) {
            if (order[i] != order[i - period]) {
                return false;
            }
        }
        return true;
    }

    private static int longestRun(List<Backend> picks, Backend backend) {
        int longest = 0;
        int run = 0;
        for (Backend pick : picks) {
            run = pick == backend ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
