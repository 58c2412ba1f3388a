package io.gatehouse.proxy;

import static io.gatehouse.config.RetryConfig.Condition.CONNECT_FAILURE;
import static io.gatehouse.config.RetryConfig.Condition.RESET_BEFORE_RESPONSE;
import static io.gatehouse.config.RetryConfig.Condition.STATUS_502;
import static io.gatehouse.config.RetryConfig.Condition.STATUS_503;
import static io.gatehouse.config.RetryConfig.Condition.STATUS_504;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RetryConfig;
import io.gatehouse.config.RetryConfig.Condition;
import io.gatehouse.grpc.GrpcStatus;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.testing.PrometheusText;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which failures a route retries, its retry budget on a clock the test moves, and the backoff. */
class RetryPolicyTest {
    private static final String ROUTE = "orders";
    private static final List<HttpMethod> IDEMPOTENT = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);
    private static final HttpMethod PATCH = HttpMethod.PATCH;

    private final AtomicLong clock = new AtomicLong(TimeUnit.SECONDS.toNanos(7_000));
    private final GatewayMetrics metrics = new GatewayMetrics();

    private static RetryConfig config(Set<Condition> on, Set<String> methods, boolean jitter, int budgetPercent,
                                      int minRetriesPerSecond) {
        return new RetryConfig(3, on, Duration.ofMillis(25), Duration.ofMillis(250), jitter, budgetPercent,
                minRetriesPerSecond, methods, Set.of());
    }

    private RetryPolicy policy(RetryConfig config) {
        return new RetryPolicy(config, metrics.forRoute(ROUTE), clock::get);
    }

    /** Retries on every condition, no opted-in methods, budget and floor as given. */
    private RetryPolicy budgeted(int budgetPercent, int minRetriesPerSecond) {
        return policy(config(Set.of(Condition.values()), Set.of(), false, budgetPercent, minRetriesPerSecond));
    }

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    private static int retriesAllowed(RetryPolicy policy, Condition condition, int tries) {
        int allowed = 0;
        for (int i = 0; i < tries; i++) {
            if (policy.tryRetry(condition)) {
                allowed++;
            }
        }
        return allowed;
    }

    private static void requests(RetryPolicy policy, int n) {
        for (int i = 0; i < n; i++) {
            policy.requestStarted();
        }
    }

    private double retriesCounted(String reason) {
        return PrometheusText.value(metrics.scrape(), "gatehouse_retries_total",
                "route=\"" + ROUTE + "\"", "reason=\"" + reason + "\"");
    }

    private double budgetExhaustedCounted() {
        return PrometheusText.value(metrics.scrape(), "gatehouse_retry_budget_exhausted_total",
                "route=\"" + ROUTE + "\"");
    }

    @Test
    void idempotentMethodsAreCoveredForEveryConfiguredCondition() {
        RetryPolicy policy = policy(config(Set.of(RESET_BEFORE_RESPONSE, STATUS_503), Set.of(), false, 20, 3));

        for (HttpMethod method : IDEMPOTENT) {
            assertThat(policy.covers(RESET_BEFORE_RESPONSE, method)).as(method.name()).isTrue();
            assertThat(policy.covers(STATUS_503, method)).as(method.name()).isTrue();
            assertThat(policy.covers(STATUS_502, method)).as("502 is not configured").isFalse();
            assertThat(policy.covers(CONNECT_FAILURE, method)).as("connect_failure is not configured").isFalse();
        }
        assertThat(policy.covers(STATUS_503, HttpMethod.POST)).isFalse();
        assertThat(policy.covers(RESET_BEFORE_RESPONSE, PATCH)).isFalse();
    }

    @Test
    void aConnectFailureIsCoveredForAnyMethodWhenConfigured() {
        RetryPolicy policy = policy(config(Set.of(CONNECT_FAILURE, STATUS_504), Set.of(), false, 20, 3));

        assertThat(policy.covers(CONNECT_FAILURE, HttpMethod.POST)).isTrue();
        assertThat(policy.covers(CONNECT_FAILURE, PATCH)).isTrue();
        assertThat(policy.covers(CONNECT_FAILURE, HttpMethod.GET)).isTrue();
        assertThat(policy.covers(STATUS_504, HttpMethod.POST)).as("the backend may have acted on it").isFalse();
    }

    @Test
    void optedInMethodsAreCoveredLikeIdempotentOnes() {
        RetryPolicy policy = policy(config(Set.of(STATUS_503), Set.of("POST"), false, 20, 3));

        assertThat(policy.covers(STATUS_503, HttpMethod.POST)).isTrue();
        assertThat(policy.covers(STATUS_503, PATCH)).as("not opted in").isFalse();
        assertThat(policy.covers(STATUS_502, HttpMethod.POST)).as("condition not configured").isFalse();
    }

    @Test
    void theDefaultPolicyRetriesOnlyConnectFailures() {
        RetryPolicy policy = policy(RetryConfig.DEFAULT);

        assertThat(policy.attempts()).isEqualTo(2);
        assertThat(policy.covers(CONNECT_FAILURE, HttpMethod.POST)).isTrue();
        assertThat(policy.covers(STATUS_503, HttpMethod.GET)).isFalse();
        assertThat(policy.covers(RESET_BEFORE_RESPONSE, HttpMethod.GET)).isFalse();
        assertThat(retriesAllowed(policy, CONNECT_FAILURE, 31)).as("the floor of 3/s").isEqualTo(30);
    }

    @Test
    void theBudgetAllowsItsShareOfRecentRequestsThenRefusesAndCountsBoth() {
        RetryPolicy policy = budgeted(20, 0);
        requests(policy, 50);

        assertThat(retriesAllowed(policy, STATUS_503, 6)).isEqualTo(6);
        assertThat(retriesAllowed(policy, CONNECT_FAILURE, 4)).isEqualTo(4);
        assertThat(policy.tryRetry(STATUS_503)).as("20% of 50 requests spent").isFalse();
        assertThat(policy.tryRetry(CONNECT_FAILURE)).isFalse();
        assertThat(policy.tryRetry(STATUS_503)).isFalse();

        assertThat(retriesCounted("503")).isEqualTo(6.0);
        assertThat(retriesCounted("connect_failure")).isEqualTo(4.0);
        assertThat(budgetExhaustedCounted()).isEqualTo(3.0);
    }

    @Test
    void moreRequestsRefillTheBudget() {
        RetryPolicy policy = budgeted(20, 0);
        requests(policy, 50);
        assertThat(retriesAllowed(policy, STATUS_503, 11)).isEqualTo(10);

        requests(policy, 4);
        assertThat(policy.tryRetry(STATUS_503)).as("54 requests still allow 10").isFalse();
        requests(policy, 1);
        assertThat(retriesAllowed(policy, STATUS_503, 2)).as("55 requests allow 11").isEqualTo(1);
    }

    @Test
    void withNoFloorAndNoRequestsNothingIsRetried() {
        RetryPolicy policy = budgeted(20, 0);

        assertThat(policy.tryRetry(CONNECT_FAILURE)).isFalse();
        assertThat(retriesCounted("connect_failure")).as("no series before the first retry").isNaN();
        assertThat(budgetExhaustedCounted()).isEqualTo(1.0);
    }

    @Test
    void theFloorAllowsMinRetriesPerSecondOverTheWindowWithNoRequests() {
        RetryPolicy policy = budgeted(20, 3);

        assertThat(retriesAllowed(policy, STATUS_502, 30)).isEqualTo(30);
        assertThat(policy.tryRetry(STATUS_502)).isFalse();
        assertThat(retriesCounted("502")).isEqualTo(30.0);
        assertThat(budgetExhaustedCounted()).isEqualTo(1.0);
    }

    @Test
    void theFloorAndTheBudgetAddUp() {
        RetryPolicy policy = budgeted(20, 1);
        requests(policy, 50);

        assertThat(retriesAllowed(policy, STATUS_503, 25)).as("10 from the floor, 10 from 20% of 50").isEqualTo(20);
    }

    @Test
    void requestsAndRetriesLeaveTheBudgetWithTheWindow() {
        RetryPolicy policy = budgeted(20, 0);
        requests(policy, 50);
        assertThat(retriesAllowed(policy, STATUS_503, 11)).isEqualTo(10);

        advance(Duration.ofSeconds(10));
        assertThat(policy.tryRetry(STATUS_503)).as("the requests left the window too").isFalse();

        requests(policy, 50);
        assertThat(retriesAllowed(policy, STATUS_503, 11)).as("the old retries no longer count").isEqualTo(10);
    }

    @Test
    void retriesStillInTheWindowKeepSpendingTheBudgetAfterTheirRequestsLeft() {
        RetryPolicy policy = budgeted(20, 0);
        requests(policy, 50); // at 0 s
        advance(Duration.ofSeconds(5));
        assertThat(retriesAllowed(policy, STATUS_503, 10)).isEqualTo(10); // at 5 s

        advance(Duration.ofSeconds(5)); // at 10 s: the requests left, the retries did not
        requests(policy, 50);
        assertThat(policy.tryRetry(STATUS_503)).isFalse();

        advance(Duration.ofSeconds(5)); // at 15 s: the retries left too
        assertThat(retriesAllowed(policy, STATUS_503, 11)).isEqualTo(10);
    }

    @Test
    void theFloorComesBackOnceTheWindowHasPassed() {
        RetryPolicy policy = budgeted(20, 3);
        assertThat(retriesAllowed(policy, CONNECT_FAILURE, 31)).isEqualTo(30);

        advance(Duration.ofSeconds(10).minusNanos(1));
        assertThat(policy.tryRetry(CONNECT_FAILURE)).isFalse();
        advance(Duration.ofNanos(1));
        assertThat(retriesAllowed(policy, CONNECT_FAILURE, 31)).isEqualTo(30);
        assertThat(budgetExhaustedCounted()).isEqualTo(3.0);
    }

    @Test
    void backoffDoublesFromTheBaseUpToTheCapWithoutJitter() {
        RetryPolicy policy = policy(config(Set.of(STATUS_503), Set.of(), false, 20, 3));

        assertThat(List.of(policy.backoffNanos(1), policy.backoffNanos(2), policy.backoffNanos(3),
                policy.backoffNanos(4), policy.backoffNanos(5), policy.backoffNanos(6))).containsExactly(
                ms(25), ms(50), ms(100), ms(200), ms(250), ms(250));
        assertThat(policy.backoffNanos(31)).isEqualTo(ms(250));
        assertThat(policy.backoffNanos(64)).as("no shift overflow").isEqualTo(ms(250));
        assertThat(policy.backoffNanos(Integer.MAX_VALUE)).isEqualTo(ms(250));
    }

    @Test
    void fullJitterWaitsBetweenZeroAndTheDelay() {
        RetryPolicy policy = policy(config(Set.of(STATUS_503), Set.of(), true, 20, 3));
        long[] delays = {ms(25), ms(50), ms(100), ms(200), ms(250), ms(250)};

        for (int retry = 1; retry <= delays.length; retry++) {
            long max = delays[retry - 1];
            long smallest = Long.MAX_VALUE;
            long largest = Long.MIN_VALUE;
            for (int i = 0; i < 2_000; i++) {
                long wait = policy.backoffNanos(retry);
                assertThat(wait).isBetween(0L, max);
                smallest = Math.min(smallest, wait);
                largest = Math.max(largest, wait);
            }
            assertThat(largest - smallest).as("spread over the range, not fixed").isGreaterThan(max / 2);
        }
    }

    @Test
    void aZeroBaseMeansNoWaitEvenWithJitter() {
        RetryPolicy policy = policy(new RetryConfig(3, Set.of(STATUS_503), Duration.ZERO, Duration.ofMillis(250),
                true, 20, 3, Set.of(), Set.of()));

        assertThat(policy.backoffNanos(1)).isZero();
        assertThat(policy.backoffNanos(5)).isZero();
    }

    @Test
    void idempotentAndOptedInMethodsMayBeResent() {
        RetryPolicy policy = policy(config(Set.of(STATUS_503), Set.of("PATCH"), false, 20, 3));

        for (HttpMethod method : IDEMPOTENT) {
            assertThat(policy.resendable(method)).as(method.name()).isTrue();
        }
        assertThat(policy.resendable(PATCH)).isTrue();
        assertThat(policy.resendable(HttpMethod.POST)).isFalse();
        assertThat(policy.resendable(HttpMethod.CONNECT)).isFalse();
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void aListedGrpcStatusOfATrailersOnlyAnswerIsRetriedWhateverTheMethod() {
        RetryPolicy policy = policy(new RetryConfig(3, Set.of(STATUS_503), Duration.ZERO, Duration.ZERO, false, 20, 3,
                Set.of(), Set.of(GrpcStatus.UNAVAILABLE)));
        HttpResponse unavailable = grpcAnswer(HttpResponseStatus.OK, "14");

        assertThat(policy.conditionOf(unavailable, true)).isEqualTo(Condition.GRPC_STATUS);
        assertThat(policy.covers(Condition.GRPC_STATUS, HttpMethod.POST)).isTrue();
        assertThat(policy.conditionOf(grpcAnswer(HttpResponseStatus.OK, "13"), true)).isNull();
        assertThat(policy.conditionOf(unavailable, false)).as("not a gRPC call").isNull();
        assertThat(policy.conditionOf(grpcAnswer(HttpResponseStatus.SERVICE_UNAVAILABLE, "14"), true))
                .as("an HTTP failure is judged as one").isEqualTo(STATUS_503);
        assertThat(policy.covers(STATUS_503, HttpMethod.POST)).as("a POST by HTTP rules").isFalse();
    }

    private static HttpResponse grpcAnswer(HttpResponseStatus status, String grpcStatus) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().set("content-type", "application/grpc").set("grpc-status", grpcStatus);
        return response;
    }
}
