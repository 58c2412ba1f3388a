package io.gatehouse.bench;

import io.gatehouse.route.Router;
import io.netty.handler.codec.http.EmptyHttpHeaders;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The route-count scaling check on a shared machine:
 * {@code java -cp target/benchmarks.jar io.gatehouse.bench.RouterScaling [rounds]}. Not a JMH benchmark: it
 * interleaves the 10- and 10,000-route tables round by round and takes thread CPU time, so load that comes and
 * goes on the machine hits both sides of the ratio alike; the minimum over rounds is the least disturbed value.
 */
public final class RouterScaling {
    private static final int[] SIZES = {10, 1000, 10000};
    private static final String[] KINDS = {"prefix", "template", "miss", "prefixFixed"};
    private static final int OPS = 1 << 20;
    static volatile Object sink;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Router[] routers = new Router[SIZES.length];
        String[][][] paths = new String[SIZES.length][][];
        for (int i = 0; i < SIZES.length; i++) {
            routers[i] = Router.compile(Fixtures.routeTable(SIZES[i]));
            int services = Fixtures.services(SIZES[i]);
            IntFunction<String> fixed = s -> Fixtures.prefixPath(0);
            paths[i] = new String[][] {Fixtures.spread(services, Fixtures::prefixPath),
                    Fixtures.spread(services, Fixtures::templatePath), Fixtures.spread(services, Fixtures::missPath),
                    Fixtures.spread(services, fixed)};
        }
        double[][][] nanos = new double[KINDS.length][SIZES.length][rounds];
        for (int round = -3; round < rounds; round++) { // three rounds of warm-up
            for (int k = 0; k < KINDS.length; k++) {
                for (int i = 0; i < SIZES.length; i++) {
                    double perOp = cpuNanosPerMatch(routers[i], paths[i][k]);
                    if (round >= 0) {
                        nanos[k][i][round] = perOp;
                    }
                }
            }
        }
        System.out.printf("CPU ns/match, min (median) of %d rounds%n%-12s %16s %16s %16s   10000/10 min (median)%n",
                rounds, "kind", "10", "1000", "10000");
        for (int k = 0; k < KINDS.length; k++) {
            double[] min = new double[SIZES.length];
            double[] median = new double[SIZES.length];
            StringBuilder row = new StringBuilder(String.format("%-12s", KINDS[k]));
            for (int i = 0; i < SIZES.length; i++) {
                double[] sorted = nanos[k][i].clone();
                Arrays.sort(sorted);
                min[i] = sorted[0];
                median[i] = sorted[rounds / 2];
                row.append(String.format(" %7.1f (%6.1f)", min[i], median[i]));
            }
            int last = SIZES.length - 1;
            System.out.printf("%s   %.2f (%.2f)%n", row, min[last] / min[0], median[last] / median[0]);
        }
    }

    private static double cpuNanosPerMatch(Router router, String[] paths) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Object last = null;
        long start = threads.getCurrentThreadCpuTime();
        for (int n = 0; n < OPS; n++) {
            last = router.match("GET", "api.example.com", paths[n & (Fixtures.PATH_COUNT - 1)], null,
                    EmptyHttpHeaders.INSTANCE);
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        sink = last;
        return (double) cpu / OPS;
    }
}
