package io.gatehouse.config;

import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerSectionTest {
    private static final String KEYS =
            "failure_rate, minimum_calls, window, consecutive_failures, open_for, half_open_probes";
    private static final String ROUTE = """
            routes:
              - {id: r, match: {path_prefix: /}, pool: users}
            """;

    /** The users pool's breaker, {@code body} being the YAML after {@code circuit_breaker:}. */
    private static CircuitBreakerConfig breaker(String body) {
        return parse(pool(body)).pools().get("users").protection().circuitBreaker();
    }

    private static List<String> breakerErrors(String body) {
        return errors(pool(body));
    }

    private static String pool(String body) {
        return "pools:\n  users:\n    backends: [http://a:1]\n    circuit_breaker:\n" + body.indent(6) + ROUTE;
    }

    @Test
    void absentMeansNoBreakers() {
        assertThat(parse("pools:\n  users:\n    backends: [http://a:1]\n" + ROUTE).pools().get("users")
                .protection().circuitBreaker()).isNull();
        assertThat(breaker("")).isNull();
        assertThat(breaker("~")).isNull();
    }

    @Test
    void defaults() {
        assertThat(breaker("{}")).isEqualTo(new CircuitBreakerConfig(50, 20, Duration.ofSeconds(10), 5,
                Duration.ofSeconds(30), 3));
    }

    @Test
    void everyKey() {
        assertThat(breaker("""
                failure_rate: 25%
                minimum_calls: 1
                window: 1m
                consecutive_failures: 0
                open_for: 500ms
                half_open_probes: 1
                """)).isEqualTo(new CircuitBreakerConfig(25, 1, Duration.ofMinutes(1), 0,
                Duration.ofMillis(500), 1));
    }

    @Test
    void failureRateIsAPercentageWithOrWithoutTheSign() {
        assertThat(breaker("{failure_rate: 20%}").failureRatePercent()).isEqualTo(20);
        assertThat(breaker("{failure_rate: \"20%\"}").failureRatePercent()).isEqualTo(20);
        assertThat(breaker("{failure_rate: 20}").failureRatePercent()).isEqualTo(20);
        assertThat(breaker("{failure_rate: \"20\"}").failureRatePercent()).isEqualTo(20);
        assertThat(breaker("{failure_rate: 100%}").failureRatePercent()).isEqualTo(100);
        assertThat(breaker("{failure_rate: 0%}").failureRatePercent()).isZero();
        String path = "pools.users.circuit_breaker.failure_rate: ";
        String expected = " (expected a percentage such as 20%, 0..100)";
        assertThat(breakerErrors("{failure_rate: 101%}")).containsExactly(path + "\"101%\" (expected: 0..100%)");
        assertThat(breakerErrors("{failure_rate: -1}")).containsExactly(path + "-1 (expected: 0..100%)");
        assertThat(breakerErrors("{failure_rate: 99999999999999999999%}")).containsExactly(
                path + "\"99999999999999999999%\" (expected: 0..100%)");
        assertThat(breakerErrors("{failure_rate: half}")).containsExactly(path + "\"half\"" + expected);
        assertThat(breakerErrors("{failure_rate: 12.5%}")).containsExactly(path + "\"12.5%\"" + expected);
        assertThat(breakerErrors("{failure_rate: 0.5}")).containsExactly(path + "0.5" + expected);
        assertThat(breakerErrors("{failure_rate: \"20 %\"}")).containsExactly(path + "\"20 %\"" + expected);
        assertThat(breakerErrors("{failure_rate: \"%\"}")).containsExactly(path + "\"%\"" + expected);
        assertThat(breakerErrors("{failure_rate: [50]}")).containsExactly(path + "a list" + expected);
        assertThat(breakerErrors("{failure_rate: true}")).containsExactly(path + "true" + expected);
    }

    @Test
    void badValues() {
        assertThat(breakerErrors("""
                minimum_calls: 0
                window: 0s
                consecutive_failures: -1
                open_for: 10
                half_open_probes: 0
                probes: 3
                """)).containsExactly(
                "pools.users.circuit_breaker.probes: unknown key (expected one of: " + KEYS + ")",
                "pools.users.circuit_breaker.minimum_calls: 0 (expected: at least 1)",
                "pools.users.circuit_breaker.window: \"0s\" (expected a duration greater than 0)",
                "pools.users.circuit_breaker.consecutive_failures: -1 (expected: at least 0)",
                "pools.users.circuit_breaker.open_for: 10 (expected a duration such as 250ms, 2s, 1m; a plain number"
                        + " is ambiguous, add a unit as in 10s)",
                "pools.users.circuit_breaker.half_open_probes: 0 (expected: at least 1)");
        assertThat(breakerErrors("true")).containsExactly(
                "pools.users.circuit_breaker: true (expected a map with keys: " + KEYS + ")");
    }

    @Test
    void oneTriggerMustBeOn() {
        assertThat(breaker("{failure_rate: 0, consecutive_failures: 1}").consecutiveFailures()).isEqualTo(1);
        assertThat(breaker("{failure_rate: 1%, consecutive_failures: 0}").failureRatePercent()).isEqualTo(1);
        assertThat(breakerErrors("{failure_rate: 0%, consecutive_failures: 0}")).containsExactly(
                "pools.users.circuit_breaker: failure_rate and consecutive_failures are both 0 (expected at least one"
                        + " of failure_rate, consecutive_failures above 0)");
        // A bad value falls back to its default, which is not 0: only the bad value is reported.
        assertThat(breakerErrors("{failure_rate: x, consecutive_failures: 0}")).containsExactly(
                "pools.users.circuit_breaker.failure_rate: \"x\" (expected a percentage such as 20%, 0..100)");
    }

    @Test
    void aRouteMayHaveItsOwnBreakerWithTheSameKeys() {
        String pools = "pools:\n  users:\n    backends: [http://a:1]\n";
        GatewayConfig config = parse(pools + """
                routes:
                  - {id: r, match: {path_prefix: /}, pool: users, circuit_breaker: {consecutive_failures: 2}}
                  - {id: s, match: {path_prefix: /s}, pool: users}
                """);

        assertThat(config.routes().get(0).circuitBreaker()).isEqualTo(new CircuitBreakerConfig(50, 20,
                Duration.ofSeconds(10), 2, Duration.ofSeconds(30), 3));
        assertThat(config.routes().get(1).circuitBreaker()).isNull();
        assertThat(errors(pools + """
                routes:
                  - {id: r, match: {path_prefix: /}, pool: users, circuit_breaker: {open_for: 0s}}
                """)).containsExactly("routes[0].circuit_breaker.open_for: \"0s\" (expected a duration greater than 0)");
    }
}
