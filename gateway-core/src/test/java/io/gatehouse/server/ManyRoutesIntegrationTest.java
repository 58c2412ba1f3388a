package io.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.PrometheusText;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A generated configuration of 10,000 routes, each with its own upstream (a pool of one), loads, routes every
 * sampled path to its own backend, reloads whole into another assignment, and keeps series only for the routes that
 * had requests. Functional, not timed: bench/routes.sh measures how long it takes and how much memory it holds.
 */
class ManyRoutesIntegrationTest {
    private static final int ROUTES = 10_000;
    private static final int[] SAMPLE = IntStream.concat(IntStream.of(0, 1, 4_999, ROUTES - 1),
            IntStream.iterate(17, i -> i < ROUTES, i -> i + 1_231)).toArray();

    @Test
    void tenThousandRoutesEachReachTheirOwnBackendBeforeAndAfterAReload() throws Exception {
        List<NamedBackend> backends = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                backends.add(new NamedBackend("b" + i));
            }
            try (TestGateway gateway = TestGateway.start(routes(backends, 0))) {
                assertSampleAnswers(gateway, backends.size(), 0);
                assertThat(gateway.get("/svc/10000").statusCode()).as("no such route").isEqualTo(404);
                assertThat(gateway.get("/svc/0004").statusCode()).as("a prefix cut mid-segment").isEqualTo(404);

                gateway.install(routes(backends, 1));
                assertSampleAnswers(gateway, backends.size(), 1);

                assertThat(PrometheusText.labelValues(gateway.server().metrics().scrape(), "route"))
                        .as("only routes that had requests have series")
                        .containsExactlyInAnyOrderElementsOf(sampledRouteIdsAndNone());
            }
        } finally {
            for (NamedBackend backend : backends) {
                backend.close();
            }
        }
    }

    /** Route {@code i} has prefix /svc/{@code i} (5 digits) and leads to backend {@code (i + shift) % n}. */
    private static String routes(List<NamedBackend> backends, int shift) {
        StringBuilder yaml = new StringBuilder(ROUTES * 90).append("routes:\n");
        for (int i = 0; i < ROUTES; i++) {
            yaml.append(String.format("  - {id: r%05d, match: {path_prefix: /svc/%05d}, upstream: \"%s\"}%n",
                    i, i, backends.get((i + shift) % backends.size()).url()));
        }
        return yaml.toString();
    }

    private static void assertSampleAnswers(TestGateway gateway, int backends, int shift) throws Exception {
        for (int i : SAMPLE) {
            String path = String.format("/svc/%05d/item", i);
            assertThat(gateway.get(path).body()).as(path).isEqualTo("b" + (i + shift) % backends);
        }
    }

    private static List<String> sampledRouteIdsAndNone() {
        List<String> ids = new ArrayList<>(IntStream.of(SAMPLE).mapToObj(i -> String.format("r%05d", i)).toList());
        ids.add("none");
        return ids;
    }
}
