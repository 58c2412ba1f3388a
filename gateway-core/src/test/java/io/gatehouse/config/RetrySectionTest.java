package io.gatehouse.config;

import static io.gatehouse.config.Configs.USERS_POOL;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.grpc.GrpcStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetrySectionTest {
    private static final String KEYS =
            "attempts, on, backoff, budget, min_retries_per_second, methods, grpc_status_codes";
    private static final String CONDITIONS = "connect_failure, reset_before_response, 502, 503, 504";
    private static final String ROUTE = "routes:\n  - id: r\n    match: {path_prefix: /}\n    pool: users\n";
    private static final String GRPC_ROUTE = ROUTE + "    grpc: true\n";

    /** The route's retry policy, {@code body} being the YAML after {@code retry:}. */
    private static RetryConfig retry(String body) {
        return parse(route(body)).routes().get(0).retry();
    }

    private static List<String> retryErrors(String body) {
        return errors(route(body));
    }

    private static String route(String body) {
        return USERS_POOL + ROUTE + "    retry:\n" + body.indent(6);
    }

    @Test
    void absentOrEmptyIsTheDefault() {
        assertThat(parse(USERS_POOL + ROUTE).routes().get(0).retry()).isEqualTo(RetryConfig.DEFAULT);
        assertThat(retry("")).isEqualTo(RetryConfig.DEFAULT);
        assertThat(retry("{}")).isEqualTo(RetryConfig.DEFAULT);
        assertThat(RetryConfig.DEFAULT).isEqualTo(new RetryConfig(2, Set.of(RetryConfig.Condition.CONNECT_FAILURE),
                Duration.ofMillis(25), Duration.ofMillis(250), true, 20, 3, Set.of(), Set.of()));
    }

    @Test
    void everyKey() {
        assertThat(retry("""
                attempts: 10
                on: [reset_before_response, 503]
                backoff: {base: 0s, max: 1s, jitter: none}
                budget: 100%
                min_retries_per_second: 0
                methods: [POST]
                """)).isEqualTo(new RetryConfig(10, Set.of(RetryConfig.Condition.RESET_BEFORE_RESPONSE,
                RetryConfig.Condition.STATUS_503), Duration.ZERO, Duration.ofSeconds(1), false, 100, 0,
                Set.of("POST"), Set.of()));
        assertThat(retry("{attempts: 1, backoff: {base: 0s, max: 0s, jitter: full}, budget: 0}")).isEqualTo(
                new RetryConfig(1, Set.of(RetryConfig.Condition.CONNECT_FAILURE), Duration.ZERO, Duration.ZERO,
                        true, 0, 3, Set.of(), Set.of()));
    }

    @Test
    void conditionsByNameOrStatus() {
        assertThat(retry("on: [connect_failure, reset_before_response, 502, \"503\", 504]").on())
                .containsExactlyInAnyOrder(Arrays.stream(RetryConfig.Condition.values())
                        .filter(RetryConfig.Condition::isListed).toArray(RetryConfig.Condition[]::new));
        assertThat(retryErrors("on: [grpc_status]")).containsExactly("routes[0].retry.on[0]: \"grpc_status\" "
                + "(expected one of: " + CONDITIONS + ")");
        assertThat(retry("on: [CONNECT_FAILURE]").on()).containsExactly(RetryConfig.Condition.CONNECT_FAILURE);
        // [] retries nothing, not even a connection that could not be opened.
        assertThat(retry("on: []").on()).isEmpty();
    }

    @Test
    void conditionErrors() {
        String expected = " (expected one of: " + CONDITIONS + ")";
        assertThat(retryErrors("on: [500, timeout, ~, {a: 1}, true, 502, \"502\"]")).containsExactly(
                "routes[0].retry.on[0]: 500" + expected,
                "routes[0].retry.on[1]: \"timeout\"" + expected,
                "routes[0].retry.on[2]: null" + expected,
                "routes[0].retry.on[3]: a map" + expected,
                "routes[0].retry.on[4]: true" + expected,
                "routes[0].retry.on[6]: \"502\" (expected each condition once)");
        assertThat(retryErrors("on: connect_failure")).containsExactly(
                "routes[0].retry.on: \"connect_failure\" (expected a list of: " + CONDITIONS + ")");
    }

    @Test
    void attemptsBudgetAndMinimum() {
        assertThat(retryErrors("{attempts: 0, budget: 101%, min_retries_per_second: -1}")).containsExactly(
                "routes[0].retry.attempts: 0 (expected: 1..10)",
                "routes[0].retry.budget: \"101%\" (expected: 0..100%)",
                "routes[0].retry.min_retries_per_second: -1 (expected: at least 0)");
        assertThat(retryErrors("{attempts: 11, budget: lots, min_retries_per_second: 1.5}")).containsExactly(
                "routes[0].retry.attempts: 11 (expected: 1..10)",
                "routes[0].retry.budget: \"lots\" (expected a percentage such as 20%, 0..100)",
                "routes[0].retry.min_retries_per_second: 1.5 (expected an integer, at least 0)");
        assertThat(retry("budget: \"5\"").budgetPercent()).isEqualTo(5);
    }

    @Test
    void backoffErrors() {
        assertThat(retryErrors("backoff: {base: -1ms, max: 1, jitter: partial, factor: 2}")).containsExactly(
                "routes[0].retry.backoff.factor: unknown key (expected one of: base, max, jitter)",
                "routes[0].retry.backoff.base: \"-1ms\" (expected a duration such as 250ms, 2s, 1m)",
                "routes[0].retry.backoff.max: 1 (expected a duration such as 250ms, 2s, 1m; a plain number is"
                        + " ambiguous, add a unit as in 1s)",
                "routes[0].retry.backoff.jitter: \"partial\" (expected one of: full, none)");
        assertThat(retryErrors("backoff: {jitter: true}")).containsExactly(
                "routes[0].retry.backoff.jitter: true (expected one of: full, none)");
        assertThat(retryErrors("backoff: 25ms")).containsExactly(
                "routes[0].retry.backoff: \"25ms\" (expected a map with keys: base, max, jitter)");
    }

    @Test
    void backoffMaxIsAtLeastTheBase() {
        assertThat(retry("backoff: {base: 1s, max: 1s}").backoffMax()).isEqualTo(Duration.ofSeconds(1));
        assertThat(retryErrors("backoff: {base: 100ms, max: 50ms}")).containsExactly(
                "routes[0].retry.backoff: max 50ms is shorter than base 100ms (expected base <= max)");
        assertThat(retryErrors("backoff: {base: 1s}")).containsExactly(
                "routes[0].retry.backoff: max 250ms is shorter than base 1s (expected base <= max)");
    }

    @Test
    void maxBodyBytesMovedToTheRoutesRequestBuffering() {
        assertThat(retryErrors("max_body_bytes: 1MB")).containsExactly(
                "routes[0].retry.max_body_bytes: renamed to routes[0].request_buffering, which also bounds the body a"
                        + " retry replays");
    }

    @Test
    void methodsAreUpperCasedTokens() {
        assertThat(retry("methods: [post, PATCH, GET]").methods()).containsExactlyInAnyOrder("POST", "PATCH", "GET");
        assertThat(retryErrors("methods: [post, \"BAD METHOD\", ~, POST]")).containsExactly(
                "routes[0].retry.methods[1]: \"BAD METHOD\" (expected an HTTP method token such as POST)",
                "routes[0].retry.methods[2]: null (expected a list of HTTP methods such as [POST, PATCH])",
                "routes[0].retry.methods[3]: \"POST\" (expected each method once, in any letter case; also"
                        + " routes[0].retry.methods[0])");
        assertThat(retryErrors("methods: POST")).containsExactly(
                "routes[0].retry.methods: \"POST\" (expected a list of HTTP methods such as [POST, PATCH])");
    }

    @Test
    void shapeErrors() {
        assertThat(retryErrors("{attempts: 2, retries: 3}")).containsExactly(
                "routes[0].retry.retries: unknown key (expected one of: " + KEYS + ")");
        assertThat(retryErrors("3")).containsExactly("routes[0].retry: 3 (expected a map with keys: " + KEYS + ")");
    }

    @Test
    void grpcStatusCodesByNameInAnyCaseOrNumber() {
        RetryConfig retry = parse(USERS_POOL + GRPC_ROUTE + "    retry: {grpc_status_codes: [unavailable, "
                + "RESOURCE_EXHAUSTED, 10, \"4\"]}\n").routes().get(0).retry();

        assertThat(retry.grpcStatusCodes()).containsExactlyInAnyOrder(GrpcStatus.UNAVAILABLE,
                GrpcStatus.RESOURCE_EXHAUSTED, GrpcStatus.ABORTED, GrpcStatus.DEADLINE_EXCEEDED);
        assertThat(RetryConfig.DEFAULT.grpcStatusCodes()).isEmpty();
    }

    @Test
    void grpcStatusCodeErrors() {
        assertThat(errors(USERS_POOL + GRPC_ROUTE + "    retry: {grpc_status_codes: [unavailable, ok, 17, "
                + "gone, ~, 14]}\n")).containsExactly(
                "routes[0].retry.grpc_status_codes[1]: \"ok\" (" + GrpcStatus.EXPECTED
                        + "; ok is a success, never retried)",
                "routes[0].retry.grpc_status_codes[2]: 17 (" + GrpcStatus.EXPECTED + ")",
                "routes[0].retry.grpc_status_codes[3]: \"gone\" (" + GrpcStatus.EXPECTED + ")",
                "routes[0].retry.grpc_status_codes[4]: null (" + GrpcStatus.EXPECTED + ")",
                "routes[0].retry.grpc_status_codes[5]: 14 (expected each code once; also"
                        + " routes[0].retry.grpc_status_codes[0])");
        assertThat(errors(USERS_POOL + GRPC_ROUTE + "    retry: {grpc_status_codes: unavailable}\n")).containsExactly(
                "routes[0].retry.grpc_status_codes: \"unavailable\" (expected a list of gRPC status codes such as"
                        + " [unavailable])");
    }

    @Test
    void grpcStatusCodesOnlyOnAGrpcRoute() {
        assertThat(retryErrors("grpc_status_codes: [unavailable]")).containsExactly(
                "routes[0].retry.grpc_status_codes: set on a route without grpc: true (expected only on a gRPC"
                        + " route, whose responses carry a grpc-status)");
        assertThat(errors(USERS_POOL + ROUTE + "    grpc: false\n    retry: {grpc_status_codes: [14]}\n"))
                .hasSize(1);
    }
}
