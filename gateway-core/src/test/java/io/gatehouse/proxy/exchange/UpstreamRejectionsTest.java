package io.gatehouse.proxy.exchange;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.context.Rejection;
import io.gatehouse.testing.TestConfigs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's own answers to upstream failures: what they say, and that every 503 says when to come back. */
class UpstreamRejectionsTest {
    @Test
    void noHealthyBackendAsksToComeBackAfterTheProbeIntervalRoundedUp() {
        assertThat(retryAfter(UpstreamRejections.noHealthyBackend(pool("""
                health_check: {path: /healthz, interval: 1500ms, timeout: 1s}""")))).isEqualTo("2");
        assertThat(retryAfter(UpstreamRejections.noHealthyBackend(pool("""
                health_check: {path: /healthz, interval: 200ms, timeout: 100ms}""")))).isEqualTo("1");
        assertThat(retryAfter(UpstreamRejections.noHealthyBackend(pool("max_connections: 4"))))
                .as("without health checks").isEqualTo("1");
    }

    @Test
    void poolsWhoseRetryAfterIsOneSecondShareTheirRejection() {
        assertThat(UpstreamRejections.noHealthyBackend(pool("max_connections: 4")))
                .isSameAs(UpstreamRejections.noHealthyBackend(pool("max_connections: 8")));
        assertThat(UpstreamRejections.noHealthyBackend(
                pool("health_check: {path: /healthz, interval: 1500ms, timeout: 1s}")))
                .isNotSameAs(UpstreamRejections.noHealthyBackend(pool("max_connections: 4")));
    }

    @Test
    void every503HasRetryAfterAndNoAnswerNamesThePoolOrABackend() {
        Rejection noHealthy = UpstreamRejections.noHealthyBackend(pool("max_connections: 4"));
        List<Rejection> all = List.of(UpstreamRejections.CONNECT_FAILED, UpstreamRejections.CLOSED_BEFORE_RESPONSE,
                UpstreamRejections.INVALID_RESPONSE, UpstreamRejections.RESPONSE_TIMED_OUT,
                UpstreamRejections.REQUEST_TIMED_OUT, UpstreamRejections.POOL_BUSY, noHealthy);
        for (Rejection rejection : all) {
            assertThat(rejection.message()).as(rejection.code()).doesNotContain("users", "127.0.0.1", "9001");
            if (rejection.status().code() == 503) {
                assertThat(retryAfter(rejection)).as(rejection.code()).isNotNull();
            }
        }
    }

    private static PoolConfig pool(String poolSettings) {
        return ConfigLoader.parse(TestConfigs.usersPool(poolSettings, "1s", 9001), Map.of()).pools().get("users");
    }

    private static String retryAfter(Rejection rejection) {
        return rejection.headers().get("Retry-After");
    }
}
