package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rate limits through the running gateway: 429 and its headers, and where in the chain each key is checked. */
class RateLimitIntegrationTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String KEY = "0123456789abcdef-rate";

    private final MockWebServer backend = new MockWebServer();
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().body("ok").build();
            }
        });
        backend.start(0);
        gateway = TestGateway.start("""
                auth:
                  default: []
                  api_keys:
                    keys: [{id: team, key: "%s"}]
                rate_limit:
                  backend: local
                  policies:
                    - {id: per-ip, key: client_ip, limit: 3, period: 1m}
                    - {id: per-consumer, key: consumer, limit: 2, period: 1m}
                    - {id: per-tenant, key: "header:X-Tenant", limit: 1, period: 1m}
                  default: [per-ip]
                quotas:
                  - {id: daily, key: consumer, limit: 3, period: 1d}
                routes:
                  - {id: keyed, match: {path_prefix: /keyed}, upstream: "http://127.0.0.1:%d", auth: [api_key], rate_limit: [per-consumer]}
                  - {id: tenant, match: {path_prefix: /tenant}, upstream: "http://127.0.0.1:%d", rate_limit: [per-tenant]}
                  - {id: open, match: {path_prefix: /}, upstream: "http://127.0.0.1:%d"}
                """.formatted(KEY, backend.getPort(), backend.getPort(), backend.getPort()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void overTheLimitIs429WithRetryAfterAndRateLimitHeaders() throws Exception {
        HttpResponse<String> first = get("/a");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("RateLimit-Limit")).hasValue("3");
        assertThat(first.headers().firstValue("RateLimit-Remaining")).hasValue("2");
        assertThat(first.headers().firstValue("X-RateLimit-Remaining")).hasValue("2");
        get("/a");
        get("/a");

        HttpResponse<String> limited = get("/a");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("\"error\":\"rate_limited\"", "policy per-ip", "\"request_id\"");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 20L); // one token back every 20 s
        assertThat(limited.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(limited.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
        assertThat(Long.parseLong(limited.headers().firstValue("RateLimit-Reset").orElseThrow())).isBetween(1L, 60L);
        assertThat(backend.getRequestCount()).isEqualTo(3);
        assertThat(gateway.metric("gatehouse_rate_limit_decisions_total", "policy=\"per-ip\"",
                "outcome=\"limited\"")).isEqualTo(1.0);
    }

    @Test
    void consumerLimitsApplyAfterAuthenticationSoAnonymousFloodsGet401() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(get("/keyed").statusCode()).isEqualTo(401);
        }
        assertThat(get("/keyed", "X-API-Key", KEY).statusCode()).isEqualTo(200);
        assertThat(get("/keyed", "X-API-Key", KEY).statusCode()).isEqualTo(200);
        assertThat(get("/keyed", "X-API-Key", KEY).statusCode()).isEqualTo(429);
        assertThat(get("/open").statusCode()).as("other routes keep their own policies").isEqualTo(200);
    }

    @Test
    void aConsumersDailyQuotaAppliesOnEveryRouteAndSaysWhenItComesBack() throws Exception {
        assertThat(get("/keyed", "X-API-Key", KEY).statusCode()).isEqualTo(200);
        assertThat(get("/keyed", "X-API-Key", KEY).statusCode()).isEqualTo(200);
        assertThat(get("/open", "X-API-Key", KEY).statusCode()).as("the key is not checked here: anonymous")
                .isEqualTo(200);
        assertThat(get("/keyed", "X-API-Key", KEY).statusCode()).as("per-consumer's 2 per minute").isEqualTo(429);

        HttpResponse<String> overQuota = get("/tenant", "X-Tenant", "q");
        assertThat(overQuota.statusCode()).as("anonymous on /tenant: quota keyed by client address").isEqualTo(200);
        HttpResponse<String> third = get("/tenant", "X-Tenant", "r");
        HttpResponse<String> fourth = get("/tenant", "X-Tenant", "s");
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(fourth.statusCode()).isEqualTo(429);
        assertThat(fourth.body()).contains("\"error\":\"quota_exceeded\"", "quota daily");
        assertThat(Long.parseLong(fourth.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(86_000L, 86_400L);
    }

    @Test
    void headerKeyedPoliciesKeepABucketPerValue() throws Exception {
        assertThat(get("/tenant", "X-Tenant", "a").statusCode()).isEqualTo(200);
        assertThat(get("/tenant", "X-Tenant", "a").statusCode()).isEqualTo(429);
        assertThat(get("/tenant", "X-Tenant", "b").statusCode()).isEqualTo(200);
    }
}
