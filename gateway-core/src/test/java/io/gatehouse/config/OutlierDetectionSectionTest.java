package io.gatehouse.config;

import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutlierDetectionSectionTest {
    private static final String KEYS = "consecutive_failures, base_ejection_time, max_ejection_time, max_ejected";
    private static final String ROUTE = """
            routes:
              - {id: r, match: {path_prefix: /}, pool: users}
            """;

    /** The users pool's outlier detection, {@code body} being the YAML after {@code outlier_detection:}. */
    private static OutlierDetectionConfig detection(String body) {
        return parse(pool(body)).pools().get("users").protection().outlierDetection();
    }

    private static List<String> detectionErrors(String body) {
        return errors(pool(body));
    }

    private static String pool(String body) {
        return "pools:\n  users:\n    backends: [http://a:1]\n    outlier_detection:\n" + body.indent(6) + ROUTE;
    }

    @Test
    void absentMeansNoEjection() {
        assertThat(parse("pools:\n  users:\n    backends: [http://a:1]\n" + ROUTE).pools().get("users")
                .protection().outlierDetection()).isNull();
        assertThat(detection("")).isNull();
    }

    @Test
    void defaults() {
        assertThat(detection("{}")).isEqualTo(new OutlierDetectionConfig(5, Duration.ofSeconds(30),
                Duration.ofSeconds(300), 50));
    }

    @Test
    void everyKey() {
        assertThat(detection("{consecutive_failures: 1, base_ejection_time: 2s, max_ejection_time: 2s,"
                + " max_ejected: 100%}")).isEqualTo(new OutlierDetectionConfig(1, Duration.ofSeconds(2),
                Duration.ofSeconds(2), 100));
        assertThat(detection("{max_ejected: \"1\"}").maxEjectedPercent()).isEqualTo(1);
        assertThat(detection("{max_ejected: 34}").maxEjectedPercent()).isEqualTo(34);
    }

    @Test
    void badValues() {
        assertThat(detectionErrors("""
                consecutive_failures: 0
                base_ejection_time: 0s
                max_ejection_time: 5
                max_ejected: 0%
                interval: 10s
                """)).containsExactly(
                "pools.users.outlier_detection.interval: unknown key (expected one of: " + KEYS + ")",
                "pools.users.outlier_detection.consecutive_failures: 0 (expected: at least 1)",
                "pools.users.outlier_detection.base_ejection_time: \"0s\" (expected a duration greater than 0)",
                "pools.users.outlier_detection.max_ejection_time: 5 (expected a duration such as 250ms, 2s, 1m; a"
                        + " plain number is ambiguous, add a unit as in 5s)",
                "pools.users.outlier_detection.max_ejected: \"0%\" (expected: 1..100%)");
        assertThat(detectionErrors("{max_ejected: 101}")).containsExactly(
                "pools.users.outlier_detection.max_ejected: 101 (expected: 1..100%)");
        assertThat(detectionErrors("{max_ejected: most}")).containsExactly(
                "pools.users.outlier_detection.max_ejected: \"most\" (expected a percentage such as 20%, 1..100)");
        assertThat(detectionErrors("[5]")).containsExactly(
                "pools.users.outlier_detection: a list (expected a map with keys: " + KEYS + ")");
    }

    @Test
    void maxEjectionTimeIsAtLeastTheBase() {
        assertThat(detectionErrors("{base_ejection_time: 1m, max_ejection_time: 30s}")).containsExactly(
                "pools.users.outlier_detection: max_ejection_time 30s is shorter than base_ejection_time 1m"
                        + " (expected base_ejection_time <= max_ejection_time)");
        assertThat(detectionErrors("{base_ejection_time: 10m}")).containsExactly(
                "pools.users.outlier_detection: max_ejection_time 5m is shorter than base_ejection_time 10m"
                        + " (expected base_ejection_time <= max_ejection_time)");
    }
}
