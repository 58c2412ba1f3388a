package io.gatehouse.upstream.balance;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.upstream.Backend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Builds backends and tallies picks for the balancer tests. */
final class TestBackends {
    private TestBackends() {
    }

    /** One backend per weight, at 10.0.0.1, 10.0.0.2, ... in order. */
    static List<Backend> withWeights(int... weights) {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            String host = "10.0.0." + (i + 1);
            backends.add(new Backend(new BackendConfig("http://" + host + ":80", host, 80, weights[i])));
        }
        return List.copyOf(backends);
    }

    static List<Backend> picks(Balancer balancer, int count) {
        List<Backend> picks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            picks.add(balancer.pick());
        }
        return picks;
    }

    /** {@code count} retry picks after {@code tried}. */
    static List<Backend> untriedPicks(Balancer balancer, List<Backend> tried, int count) {
        List<Backend> picks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            picks.add(balancer.pickUntried(tried));
        }
        return picks;
    }

    static Map<Backend, Integer> counts(Balancer balancer, int picks) {
        return tally(picks(balancer, picks));
    }

    /** Picks from {@code threads} threads at once, released together, and tallies all their picks. */
    static Map<Backend, Integer> concurrentCounts(Balancer balancer, int threads, int picksPerThread)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Backend>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return picks(balancer, picksPerThread);
                }));
            }
            go.countDown();
            List<Backend> all = new ArrayList<>();
            for (Future<List<Backend>> result : results) {
                all.addAll(result.get());
            }
            return tally(all);
        } finally {
            pool.shutdownNow();
        }
    }

    static Map<Backend, Integer> tally(List<Backend> picks) {
        Map<Backend, Integer> counts = new HashMap<>();
        for (Backend pick : picks) {
            counts.merge(pick, 1, Integer::sum);
        }
        return counts;
    }
}
