package io.gatehouse.reload;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.server.GatewayServer;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * The CPU time of each phase of applying a configuration (parse and validate, compare and diff, compile and swap)
 * on a running gateway with 10, 1,000 and 10,000 routes (prefix, template and exact), when every route changes and
 * when one does. CPU time of the applying thread, not wall time, so that other work on a shared machine does not
 * blur the comparison; and the megabytes each phase allocates, which hardly vary from run to run. Not a test: run it from gateway-core after {@code mvn -o -q -pl gateway-core test-compile}
 * with {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.gatehouse.reload.ReloadPhaseTiming}
 * (target/cp.txt from {@code mvn -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt}).
 */
public final class ReloadPhaseTiming {
    private static final int WARM_UP = 8;
    private static final int MEASURED = 21;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ReloadPhaseTiming() {}

    public static void main(String[] args) throws Exception {
        System.out.println("routes  change        parse+validate  compare+diff  compile+swap   total (median CPU ms)"
                + "   allocated MB: parse  diff  install");
        for (int routes : new int[] {10, 1_000, 10_000}) {
            GatewayServer server = GatewayServer.start(parse(config(routes, "a", -1)), 2);
            try {
                measure(server, routes, "every route", i -> config(routes, i % 2 == 0 ? "b" : "a", -1));
                measure(server, routes, "one route", i -> config(routes, "a", i % 2 == 0 ? routes / 2 : -1));
            } finally {
                server.shutdown(Duration.ZERO);
            }
        }
    }

    private static void measure(GatewayServer server, int routes, String change,
                                java.util.function.IntFunction<String> yaml) {
        long[][] phases = new long[3][MEASURED];
        long[][] allocated = new long[3][MEASURED];
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            String text = yaml.apply(i);
            long thread = Thread.currentThread().getId();
            long start = THREADS.getCurrentThreadCpuTime();
            long startBytes = THREADS.getThreadAllocatedBytes(thread);
            GatewayConfig next = parse(text);
            long parsed = THREADS.getCurrentThreadCpuTime();
            long parsedBytes = THREADS.getThreadAllocatedBytes(thread);
            GatewayConfig running = server.current();
            if (next.equals(running) || ConfigDiff.between(running, next).isEmpty()) {
                throw new IllegalStateException("expected a change");
            }
            long compared = THREADS.getCurrentThreadCpuTime();
            long comparedBytes = THREADS.getThreadAllocatedBytes(thread);
            server.install(next);
            long installed = THREADS.getCurrentThreadCpuTime();
            long installedBytes = THREADS.getThreadAllocatedBytes(thread);
            if (i >= WARM_UP) {
                phases[0][i - WARM_UP] = parsed - start;
                phases[1][i - WARM_UP] = compared - parsed;
                phases[2][i - WARM_UP] = installed - compared;
                allocated[0][i - WARM_UP] = parsedBytes - startBytes;
                allocated[1][i - WARM_UP] = comparedBytes - parsedBytes;
                allocated[2][i - WARM_UP] = installedBytes - comparedBytes;
            }
        }
        long[] total = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            total[i] = phases[0][i] + phases[1][i] + phases[2][i];
        }
        System.out.printf("%6d  %-12s %14.2f %13.2f %13.2f %8.2f %20.1f %5.1f %8.1f%n", routes, change,
                median(phases[0]), median(phases[1]), median(phases[2]), median(total), median(allocated[0]),
                median(allocated[1]), median(allocated[2]));
    }

    /** The median, in millions (ms of nanoseconds, MB of bytes). */
    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, Map.of("GATEWAY_PORT", "0"));
    }

    /** {@code routes} routes of mixed kinds, all to {@code pool}; route {@code changed} (if not -1) goes to the other. */
    private static String config(int routes, String pool, int changed) {
        StringBuilder yaml = new StringBuilder("""
                pools:
                  a: {backends: ["http://127.0.0.1:9"]}
                  b: {backends: ["http://127.0.0.1:10"]}
                routes:
                """);
        for (int i = 0; i < routes; i++) {
            String target = i == changed ? (pool.equals("a") ? "b" : "a") : pool;
            String match = switch (i % 3) {
                case 0 -> "{path_prefix: /p" + i + "/}";
                case 1 -> "{path_template: \"/t" + i + "/{id}\"}";
                default -> "{path: /e" + i + ", methods: [GET]}";
            };
            yaml.append("  - {id: r").append(i).append(", match: ").append(match).append(", pool: ").append(target)
                    .append("}\n");
        }
        return yaml.toString();
    }
}
