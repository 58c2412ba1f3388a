package io.gatehouse.security;

import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static io.gatehouse.testing.MockBackends.assertBackendUntouched;
import static io.gatehouse.security.SecurityFixtures.auth;
import static io.gatehouse.security.SecurityFixtures.echoBackend;
import static io.gatehouse.security.SecurityFixtures.gateway;
import static io.gatehouse.security.SecurityFixtures.get;
import static io.gatehouse.testing.MockBackends.received;
import static io.gatehouse.security.SecurityFixtures.request;
import static io.gatehouse.security.SecurityFixtures.requestIdIn;
import static io.gatehouse.security.SecurityFixtures.route;
import static io.gatehouse.security.SecurityFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code X-Request-ID}: on every response, proxied or the gateway's own; a valid client ID is kept end to end,
 * an invalid one replaced by a generated 32-hex ID; error bodies carry the same ID.
 */
class RequestIdIntegrationTest {
    private static final String GENERATED = "[0-9a-f]{32}";
    /** 128 characters of the allowed alphabet: the longest ID a client may choose. */
    private static final String ID_128 = "Ab0._-".repeat(21) + "xy";

    private MockWebServer backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = echoBackend();
        gateway = gateway(auth("[]"),
                route("secured", "path_prefix: /secured", backend, "auth: [api_key]"),
                route("api", "path_prefix: /api", backend));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @Test
    void proxiedResponseGetsAGeneratedIdThatTheBackendAlsoReceived() throws Exception {
        HttpResponse<String> response = get(gateway, "/api/one");

        assertThat(response.statusCode()).isEqualTo(200);
        String id = response.headers().firstValue("X-Request-ID").orElse(null);
        assertThat(id).as("X-Request-ID of a proxied response").matches(GENERATED);
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getHeaders().values("X-Request-ID")).containsExactly(id);
    }

    static List<String> validIds() {
        return List.of("a", "abc-123", "Client.Req_42-x", ID_128);
    }

    @ParameterizedTest
    @MethodSource("validIds")
    void validClientIdIsKeptSentUpstreamAndEchoed(String clientId) throws Exception {
        HttpResponse<String> response = get(gateway, "/api/kept", "X-Request-ID", clientId);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("X-Request-ID")).containsExactly(clientId);
        assertThat(received(backend).getHeaders().values("X-Request-ID")).containsExactly(clientId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "semi;colon", "slash/inside", "quote\"d"})
    void invalidClientIdIsReplacedByAGeneratedOne(String clientId) throws Exception {
        HttpResponse<String> response = get(gateway, "/api/replaced", "X-Request-ID", clientId);

        assertThat(response.statusCode()).isEqualTo(200);
        String id = response.headers().firstValue("X-Request-ID").orElse(null);
        assertThat(id).as("replacement for %s", clientId).matches(GENERATED);
        assertThat(response.headers().allValues("X-Request-ID")).containsExactly(id);
        assertThat(received(backend).getHeaders().values("X-Request-ID")).containsExactly(id);
    }

    @Test
    void idOf129CharactersIsReplacedButOf128IsKept() throws Exception {
        String tooLong = ID_128 + "z";

        HttpResponse<String> response = get(gateway, "/api/long", "X-Request-ID", tooLong);

        assertThat(tooLong).hasSize(129);
        String id = response.headers().firstValue("X-Request-ID").orElse(null);
        assertThat(id).matches(GENERATED);
        assertThat(received(backend).getHeaders().values("X-Request-ID")).containsExactly(id);
        assertThat(get(gateway, "/api/long", "X-Request-ID", ID_128).headers().firstValue("X-Request-ID"))
                .hasValue(ID_128);
    }

    @Test
    void gateway404CarriesTheIdInHeaderAndBody() throws Exception {
        HttpResponse<String> generated = get(gateway, "/nowhere");
        HttpResponse<String> chosen = get(gateway, "/nowhere", "X-Request-ID", "trace-404");

        assertThat(generated.statusCode()).isEqualTo(404);
        String id = generated.headers().firstValue("X-Request-ID").orElse(null);
        assertThat(id).matches(GENERATED);
        assertThat(generated.body()).contains("\"request_id\":\"" + id + "\"");
        assertThat(chosen.statusCode()).isEqualTo(404);
        assertThat(chosen.headers().firstValue("X-Request-ID")).hasValue("trace-404");
        assertThat(requestIdIn(chosen.body())).isEqualTo("trace-404");
        assertBackendUntouched(backend);
    }

    @Test
    void authRejection401CarriesTheIdInHeaderAndBody() throws Exception {
        HttpResponse<String> generated = get(gateway, "/secured/x");
        HttpResponse<String> chosen = get(gateway, "/secured/x", "X-Request-ID", "trace-401");

        assertThat(generated.statusCode()).isEqualTo(401);
        String id = generated.headers().firstValue("X-Request-ID").orElse(null);
        assertThat(id).matches(GENERATED);
        assertThat(requestIdIn(generated.body())).isEqualTo(id);
        assertThat(chosen.statusCode()).isEqualTo(401);
        assertThat(chosen.headers().firstValue("X-Request-ID")).hasValue("trace-401");
        assertThat(requestIdIn(chosen.body())).isEqualTo("trace-401");
        assertBackendUntouched(backend);
    }

    @Test
    void errorBodyOfAnInvalidClientIdCarriesTheGeneratedOneNotTheClients() throws Exception {
        HttpResponse<String> response = get(gateway, "/nowhere", "X-Request-ID", "bad id");

        String id = response.headers().firstValue("X-Request-ID").orElse(null);
        assertThat(id).matches(GENERATED);
        assertThat(requestIdIn(response.body())).isEqualTo(id);
        assertThat(response.body()).doesNotContain("bad id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/healthz", "/readyz"})
    void builtInEndpointErrorBodyCarriesTheRequestId(String path) throws Exception {
        HttpResponse<String> response = send(request(gateway, path, "X-Request-ID", "trace-405")
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("X-Request-ID")).hasValue("trace-405");
        assertThat(response.body()).as("error body").contains("\"request_id\":\"trace-405\"");
    }

    @Test
    void twoRequestsGetDifferentIds() throws Exception {
        String first = get(gateway, "/api/a").headers().firstValue("X-Request-ID").orElseThrow();
        String second = get(gateway, "/api/b").headers().firstValue("X-Request-ID").orElseThrow();
        String third = get(gateway, "/nowhere").headers().firstValue("X-Request-ID").orElseThrow();

        assertThat(first).matches(GENERATED);
        assertThat(second).matches(GENERATED);
        assertThat(third).matches(GENERATED);
        assertThat(first).isNotEqualTo(second).isNotEqualTo(third);
        assertThat(second).isNotEqualTo(third);
    }
}
