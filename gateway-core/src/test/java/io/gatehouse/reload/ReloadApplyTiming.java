package io.gatehouse.reload;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.server.Gatehouse;
import io.gatehouse.server.GatewayServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How long applying a configuration takes (parse, validate, compile, swap: {@link ReloadOutcome#duration()}) on a
 * running gateway with 10, 1,000 and 10,000 routes, when every route changes and when one does. Not a test: run it
 * from gateway-core after {@code mvn -o -q -pl gateway-core test-compile} with
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.gatehouse.reload.ReloadApplyTiming}
 * (target/cp.txt from {@code mvn -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt}).
 */
public final class ReloadApplyTiming {
    private static final int WARM_UP = 5;
    private static final int MEASURED = 15;

    private ReloadApplyTiming() {}

    public static void main(String[] args) throws Exception {
        System.out.println("routes  change        median ms   p90 ms    max ms   (parse+validate alone, median ms)");
        for (int routes : new int[] {10, 1_000, 10_000}) {
            Path file = Files.createTempFile("gatehouse-timing", ".yml");
            Files.writeString(file, config(routes, "a", -1));
            Gatehouse gatehouse = Gatehouse.start(new FileConfigSource(file), Map.of("GATEWAY_PORT", "0"),
                    config -> GatewayServer.start(config, 2));
            try {
                ConfigReloader reloader = gatehouse.reloader();
                report(routes, "every route", measure(reloader, i -> config(routes, i % 2 == 0 ? "b" : "a", -1)),
                        parseTime(config(routes, "b", -1)));
                report(routes, "one route", measure(reloader, i -> config(routes, "a", i % 2 == 0 ? routes / 2 : -1)),
                        parseTime(config(routes, "a", routes / 2)));
            } finally {
                gatehouse.shutdown(Duration.ZERO);
                Files.delete(file);
            }
        }
    }

    private static List<Duration> measure(ConfigReloader reloader, java.util.function.IntFunction<String> yaml)
            throws Exception {
        List<Duration> took = new ArrayList<>();
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            ReloadOutcome outcome = reloader.apply(yaml.apply(i), "timing", false).get();
            if (outcome.result() != ReloadOutcome.Result.APPLIED) {
                throw new IllegalStateException("expected applied: " + outcome);
            }
            if (i >= WARM_UP) {
                took.add(outcome.duration());
            }
        }
        return took;
    }

    /** The median time {@link ConfigLoader#parse} alone takes: the part of applying that any change pays in full. */
    private static Duration parseTime(String yaml) {
        List<Duration> took = new ArrayList<>();
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            long start = System.nanoTime();
            ConfigLoader.parse(yaml, Map.of("GATEWAY_PORT", "0"));
            if (i >= WARM_UP) {
                took.add(Duration.ofNanos(System.nanoTime() - start));
            }
        }
        return took.stream().sorted().toList().get(took.size() / 2);
    }

    private static void report(int routes, String change, List<Duration> took, Duration parse) {
        List<Duration> sorted = took.stream().sorted().toList();
        System.out.printf("%6d  %-12s %9.2f %8.2f %9.2f   %9.2f%n", routes, change, millis(sorted.get(sorted.size() / 2)),
                millis(sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1)), millis(sorted.get(sorted.size() - 1)),
                millis(parse));
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    /**
     * {@code routes} routes of mixed kinds, all to {@code pool}; route {@code changed} (if not -1) goes to the other.
     */
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
