package io.gatehouse.config;

import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectFailureEjectionSectionTest {
    private static final String ROUTE = """
            routes:
              - {id: r, match: {path_prefix: /}, pool: users}
            """;
    private static final String HEALTH_CHECK = "health_check: {path: /healthz}\n";

    /** The users pool's setting, {@code keys} being more pool keys (YAML at column 0). */
    private static ConnectFailureEjectionConfig ejection(String keys) {
        return parse(pool(keys)).pools().get("users").protection().connectFailureEjection();
    }

    private static List<String> ejectionErrors(String keys) {
        return errors(pool(keys));
    }

    private static String pool(String keys) {
        return "pools:\n  users:\n    backends: [http://a:1, http://b:1]\n" + keys.indent(4) + ROUTE;
    }

    @Test
    void onByDefaultWithoutHealthChecks() {
        assertThat(ejection("")).isEqualTo(ConnectFailureEjectionConfig.DEFAULTS)
                .isEqualTo(new ConnectFailureEjectionConfig(Duration.ofSeconds(1), Duration.ofSeconds(30)));
        assertThat(ejection("connect_failure_ejection:")).isEqualTo(ConnectFailureEjectionConfig.DEFAULTS);
        assertThat(ejection("connect_failure_ejection: {}")).isEqualTo(ConnectFailureEjectionConfig.DEFAULTS);
        assertThat(parse(pool("")).pools().get("users").ejectsOnConnectFailure()).isTrue();
    }

    @Test
    void everyKey() {
        assertThat(ejection("connect_failure_ejection: {base_ejection_time: 250ms, max_ejection_time: 5s}"))
                .isEqualTo(new ConnectFailureEjectionConfig(Duration.ofMillis(250), Duration.ofSeconds(5)));
    }

    @Test
    void aZeroBaseTurnsItOff() {
        assertThat(ejection("connect_failure_ejection: {base_ejection_time: 0s}")).isNull();
        assertThat(parse(pool("connect_failure_ejection: {base_ejection_time: 0s}")).pools().get("users")
                .ejectsOnConnectFailure()).isFalse();
    }

    @Test
    void offWithHealthChecksWhichDecideInstead() {
        assertThat(ejection(HEALTH_CHECK)).isNull();
        assertThat(ejectionErrors(HEALTH_CHECK + "connect_failure_ejection: {base_ejection_time: 1s}"))
                .containsExactly("pools.users.connect_failure_ejection: not used with health_check (expected one or"
                        + " the other: with health checks a connect failure marks the backend down until its"
                        + " checks pass)");
    }

    @Test
    void aPoolOfOneHasNowhereElseToSend() {
        PoolConfig one = parse("pools:\n  users:\n    backends: [http://a:1]\n" + ROUTE).pools().get("users");

        assertThat(one.protection().connectFailureEjection()).isEqualTo(ConnectFailureEjectionConfig.DEFAULTS);
        assertThat(one.ejectsOnConnectFailure()).isFalse();
    }

    @Test
    void badValues() {
        assertThat(ejectionErrors("""
                connect_failure_ejection:
                  base_ejection_time: -1s
                  max_ejection_time: 0s
                  consecutive_failures: 2
                """)).containsExactly(
                "pools.users.connect_failure_ejection.consecutive_failures: unknown key (expected one of:"
                        + " base_ejection_time, max_ejection_time)",
                "pools.users.connect_failure_ejection.base_ejection_time: \"-1s\" (expected a duration such as"
                        + " 250ms, 2s, 1m)",
                "pools.users.connect_failure_ejection.max_ejection_time: \"0s\" (expected a duration greater than 0)");
        assertThat(ejectionErrors("connect_failure_ejection: {base_ejection_time: 1m, max_ejection_time: 30s}"))
                .containsExactly("pools.users.connect_failure_ejection: max_ejection_time 30s is shorter than"
                        + " base_ejection_time 1m (expected base_ejection_time <= max_ejection_time)");
        assertThat(ejectionErrors("connect_failure_ejection: {base_ejection_time: 2m}")).as("against the default cap")
                .containsExactly("pools.users.connect_failure_ejection: max_ejection_time 30s is shorter than"
                        + " base_ejection_time 2m (expected base_ejection_time <= max_ejection_time)");
        assertThat(ejectionErrors("connect_failure_ejection: 10s")).containsExactly(
                "pools.users.connect_failure_ejection: \"10s\" (expected a map with keys: base_ejection_time,"
                        + " max_ejection_time)");
    }
}
