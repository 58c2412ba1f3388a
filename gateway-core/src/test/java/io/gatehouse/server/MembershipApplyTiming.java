package io.gatehouse.server;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.proxy.GatewaySnapshot;
import io.gatehouse.testing.TestDiscovery;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * How long a running gateway with 10, 1,000 and 10,000 routes takes to apply the members a discovery reports for
 * one of its pools: from the report to the snapshot that holds them (wall time, median of 21). Not a test: run it
 * from gateway-core after {@code mvn -o -q -pl gateway-core test-compile} with
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.gatehouse.server.MembershipApplyTiming}.
 */
public final class MembershipApplyTiming {
    private static final int WARM_UP = 8;
    private static final int MEASURED = 21;

    private MembershipApplyTiming() {}

    public static void main(String[] args) throws Exception {
        System.out.println("routes   median ms   p90 ms");
        for (int routes : new int[] {10, 1_000, 10_000}) {
            TestDiscovery discovery = new TestDiscovery();
            GatewayServer server = GatewayServer.start(ConfigLoader.parse(config(routes), Map.of("GATEWAY_PORT", "0")),
                    StartOptions.defaults().threads(2).discoveries(discovery));
            try {
                long[] took = new long[MEASURED];
                for (int i = 0; i < WARM_UP + MEASURED; i++) {
                    GatewaySnapshot before = server.snapshot();
                    long start = System.nanoTime();
                    discovery.report(i % 2 == 0 ? "http://127.0.0.1:11" : "http://127.0.0.1:12");
                    while (server.snapshot() == before) {
                        Thread.onSpinWait();
                    }
                    if (i >= WARM_UP) {
                        took[i - WARM_UP] = System.nanoTime() - start;
                    }
                }
                Arrays.sort(took);
                System.out.printf("%6d %11.2f %8.2f%n", routes, took[MEASURED / 2] / 1e6,
                        took[(int) Math.ceil(MEASURED * 0.9) - 1] / 1e6);
            } finally {
                server.shutdown(Duration.ZERO);
            }
        }
    }

    /** {@code routes} routes of mixed kinds: half to the discovering pool, half to a static one. */
    private static String config(int routes) {
        StringBuilder yaml = new StringBuilder("""
                pools:
                  found:
                    backends: ["http://127.0.0.1:9"]
                    discovery: {dns: {name: found.internal, port: 9}}
                  fixed: {backends: ["http://127.0.0.1:10"]}
                routes:
                """);
        for (int i = 0; i < routes; i++) {
            String match = switch (i % 3) {
                case 0 -> "{path_prefix: /p" + i + "/}";
                case 1 -> "{path_template: \"/t" + i + "/{id}\"}";
                default -> "{path: /e" + i + ", methods: [GET]}";
            };
            yaml.append("  - {id: r").append(i).append(", match: ").append(match).append(", pool: ")
                    .append(i % 2 == 0 ? "found" : "fixed").append("}\n");
        }
        return yaml.toString();
    }
}
