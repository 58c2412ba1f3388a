package io.gatehouse.security;

import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.gatehouse.security.SecurityFixtures.DEV_KEY;
import static io.gatehouse.security.SecurityFixtures.KEYS_YAML;
import static io.gatehouse.security.SecurityFixtures.OPS_KEY;
import static io.gatehouse.testing.MockBackends.assertBackendUntouched;
import static io.gatehouse.security.SecurityFixtures.echoBackend;
import static io.gatehouse.security.SecurityFixtures.errorCode;
import static io.gatehouse.security.SecurityFixtures.gateway;
import static io.gatehouse.security.SecurityFixtures.get;
import static io.gatehouse.security.SecurityFixtures.message;
import static io.gatehouse.testing.MockBackends.received;
import static io.gatehouse.security.SecurityFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * API keys: the right key is let through as its consumer, the key itself never reaches the backend, consumer
 * identity headers cannot be forged, and wrong, unknown and missing keys are refused without touching the backend.
 */
class ApiKeyIntegrationTest {
    /** Keys required by default, also accepted in {@code ?api_key=}; /public is open. */
    private static final String AUTH = "auth:\n"
            + "  default: [api_key]\n"
            + "  api_keys:\n"
            + "    header: X-API-Key\n"
            + "    query_param: api_key\n"
            + KEYS_YAML;
    /** A key of the right length and shape, one character off dev-team's. */
    private static final String WRONG_KEY = "0123456789abcdef-deX";
    private static final String UNKNOWN_KEY = "ffffffffffffffff-nobody";

    private MockWebServer backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = echoBackend();
        gateway = gateway(AUTH,
                route("public", "path_prefix: /public", backend, "auth: []"),
                route("api", "path_prefix: /", backend));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @Test
    void rightKeyIsAdmittedAsItsConsumerAndTheKeyIsNotForwarded() throws Exception {
        HttpResponse<String> response = get(gateway, "/data/1", "X-API-Key", DEV_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("echo /data/1");
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getHeaders().values("X-Consumer-Id")).containsExactly("dev-team");
        assertThat(upstream.getHeaders().get("X-API-Key")).as("API key at the backend: %s", upstream.getHeaders())
                .isNull();
    }

    @Test
    void clientSentConsumerIdIsReplacedByTheKeysConsumer() throws Exception {
        HttpResponse<String> response = get(gateway, "/data/2", "X-API-Key", DEV_KEY,
                "X-Consumer-Id", "admin", "x-consumer-id", "ops");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(received(backend).getHeaders().values("X-Consumer-Id")).containsExactly("dev-team");
    }

    @Test
    void publicRouteForwardsNoConsumerIdEvenWhenTheClientSendsOne() throws Exception {
        HttpResponse<String> response = get(gateway, "/public/page", "X-Consumer-Id", "admin");

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getHeaders().values("X-Consumer-Id")).as("%s", upstream.getHeaders()).isEmpty();
    }

    @Test
    void publicRouteDoesNotForwardAnApiKeyEither() throws Exception {
        HttpResponse<String> response = get(gateway, "/public/page", "X-API-Key", DEV_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getHeaders().get("X-API-Key")).isNull();
        assertThat(upstream.getHeaders().values("X-Consumer-Id")).isEmpty();
    }

    @Test
    void wrongAndUnknownKeysGetTheSame401() throws Exception {
        HttpResponse<String> wrong = get(gateway, "/data/3", "X-API-Key", WRONG_KEY);
        HttpResponse<String> unknown = get(gateway, "/data/3", "X-API-Key", UNKNOWN_KEY);

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(errorCode(wrong.body())).isEqualTo("unauthorized");
        assertThat(wrong.body()).contains("\"error\":\"unauthorized\"");
        assertThat(withoutRequestId(wrong.body())).isEqualTo(withoutRequestId(unknown.body()));
        assertThat(wrong.headers().map().keySet()).isEqualTo(unknown.headers().map().keySet());
        assertBackendUntouched(backend);
    }

    @Test
    void missingKeyIs401WithItsOwnMessage() throws Exception {
        HttpResponse<String> missing = get(gateway, "/data/4");
        HttpResponse<String> wrong = get(gateway, "/data/4", "X-API-Key", WRONG_KEY);

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(errorCode(missing.body())).isEqualTo("unauthorized");
        assertThat(message(missing.body())).isNotBlank().isNotEqualTo(message(wrong.body()));
        assertBackendUntouched(backend);
    }

    @Test
    void keyConfiguredBySha256IsAdmitted() throws Exception {
        HttpResponse<String> response = get(gateway, "/data/5", "X-API-Key", OPS_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getHeaders().values("X-Consumer-Id")).containsExactly("ops");
        assertThat(upstream.getHeaders().get("X-API-Key")).isNull();
    }

    @Test
    void theSha256ItselfIsNotAKey() throws Exception {
        HttpResponse<String> response = get(gateway, "/data/6", "X-API-Key", SecurityFixtures.OPS_SHA256);

        assertThat(response.statusCode()).isEqualTo(401);
        assertBackendUntouched(backend);
    }

    @Test
    void keyInTheQueryIsAdmittedAndRemovedBeforeTheBackend() throws Exception {
        HttpResponse<String> response = get(gateway, "/data/7?x=1&api_key=" + DEV_KEY + "&y=2");

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getTarget()).isEqualTo("/data/7?x=1&y=2");
        assertThat(upstream.getHeaders().values("X-Consumer-Id")).containsExactly("dev-team");
    }

    @Test
    void keyAloneInTheQueryLeavesNoQueryUpstream() throws Exception {
        HttpResponse<String> response = get(gateway, "/data/8?api_key=" + OPS_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getTarget()).isEqualTo("/data/8");
        assertThat(upstream.getHeaders().values("X-Consumer-Id")).containsExactly("ops");
    }

    @Test
    void keyInTheQueryUnderAnEncodedNameIsRemovedToo() throws Exception {
        HttpResponse<String> response = get(gateway, "/data/10?x=1&api%5Fkey=" + DEV_KEY + "&y=2");

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getTarget()).as("no key upstream").isEqualTo("/data/10?x=1&y=2");
        assertThat(upstream.getHeaders().values("X-Consumer-Id")).containsExactly("dev-team");
    }

    @Test
    void everyCopyOfTheKeyParameterIsRemoved() throws Exception {
        HttpResponse<String> response = get(gateway, "/data/11?api_key=" + DEV_KEY + "&a=b&api_key=" + OPS_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getTarget()).isEqualTo("/data/11?a=b");
        assertThat(upstream.getHeaders().values("X-Consumer-Id")).as("the first copy counts")
                .containsExactly("dev-team");
    }

    @Test
    void keyInTheQueryIsRemovedOnPublicRoutesToo() throws Exception {
        HttpResponse<String> response = get(gateway, "/public/p?api_key=" + DEV_KEY + "&q=1");

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getTarget()).isEqualTo("/public/p?q=1");
        assertThat(upstream.getHeaders().values("X-Consumer-Id")).isEmpty();
    }

    @Test
    void headerNameIsCaseInsensitive() throws Exception {
        HttpResponse<String> response = get(gateway, "/data/12", "x-api-key", DEV_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getHeaders().values("X-Consumer-Id")).containsExactly("dev-team");
        assertThat(upstream.getHeaders().get("X-API-Key")).isNull();
    }

    @Test
    void wrongKeyInTheQueryIs401() throws Exception {
        HttpResponse<String> response = get(gateway, "/data/9?api_key=" + WRONG_KEY);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(errorCode(response.body())).isEqualTo("unauthorized");
        assertBackendUntouched(backend);
    }

    @Test
    void keyInTheQueryIsRefusedWhenNoQueryParamIsConfigured() throws Exception {
        try (MockWebServer headerOnlyBackend = echoBackend();
             TestGateway headerOnly = gateway(SecurityFixtures.auth("[api_key]"),
                     route("api", "path_prefix: /", headerOnlyBackend))) {
            HttpResponse<String> response = get(headerOnly, "/data?api_key=" + DEV_KEY);

            assertThat(response.statusCode()).isEqualTo(401);
            assertBackendUntouched(headerOnlyBackend);
        }
    }

    @Test
    void consumerRequestsAreCountedPerConsumer() throws Exception {
        double before = gateway.metric("gatehouse_consumer_requests_total", "consumer=\"dev-team\"");
        double opsBefore = gateway.metric("gatehouse_consumer_requests_total", "consumer=\"ops\"");

        get(gateway, "/count/1", "X-API-Key", DEV_KEY);
        get(gateway, "/count/2?api_key=" + DEV_KEY);
        get(gateway, "/count/3", "X-API-Key", WRONG_KEY);

        assertThat(before).as("gatehouse_consumer_requests_total{consumer=\"dev-team\"} at start").isZero();
        assertThat(gateway.metric("gatehouse_consumer_requests_total", "consumer=\"dev-team\"")).isEqualTo(2.0);
        assertThat(gateway.metric("gatehouse_consumer_requests_total", "consumer=\"ops\"")).isEqualTo(opsBefore);
    }

    @Test
    void invalidKeysAreCountedAsAuthRejections() throws Exception {
        double invalidBefore = gateway.metric("gatehouse_auth_rejections_total", "reason=\"invalid_api_key\"");
        double missingBefore = gateway.metric("gatehouse_auth_rejections_total", "reason=\"missing_credentials\"");

        get(gateway, "/r/1", "X-API-Key", WRONG_KEY);
        get(gateway, "/r/2", "X-API-Key", UNKNOWN_KEY);
        get(gateway, "/r/3");
        get(gateway, "/r/4", "X-API-Key", DEV_KEY);

        assertThat(invalidBefore).as("gatehouse_auth_rejections_total{reason=\"invalid_api_key\"} at start").isZero();
        assertThat(gateway.metric("gatehouse_auth_rejections_total", "reason=\"invalid_api_key\""))
                .isEqualTo(invalidBefore + 2);
        assertThat(gateway.metric("gatehouse_auth_rejections_total", "reason=\"missing_credentials\""))
                .isEqualTo(missingBefore + 1);
    }

    private static String withoutRequestId(String body) {
        return body.replaceAll("\"request_id\":\"[^\"]*\"", "\"request_id\":\"-\"");
    }
}
