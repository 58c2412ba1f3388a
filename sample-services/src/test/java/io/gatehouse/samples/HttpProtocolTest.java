package io.gatehouse.samples;

import static io.gatehouse.samples.ServiceClient.errorCode;
import static io.gatehouse.samples.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour shared by both services: routing errors, media type, size limit, health, headers. */
class HttpProtocolTest {

    private static final Map<ServiceKind, SampleServer> SERVERS = new EnumMap<>(ServiceKind.class);
    private static final Map<ServiceKind, ServiceClient> CLIENTS = new EnumMap<>(ServiceKind.class);

    @BeforeAll
    static void start() throws Exception {
        for (ServiceKind kind : ServiceKind.values()) {
            SampleServer server = SampleServer.start(kind, kind.command() + "-t", 0);
            SERVERS.put(kind, server);
            CLIENTS.put(kind, new ServiceClient(server));
        }
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(SampleServer::stop);
    }

    private static ServiceClient client(ServiceKind kind) {
        return CLIENTS.get(kind);
    }

    private static String validBody(ServiceKind kind) {
        return kind == ServiceKind.USERS
                ? "{\"name\":\"Edsger Dijkstra\",\"email\":\"ewd@example.com\"}"
                : "{\"sku\":\"SKU-777\",\"name\":\"Cog\",\"quantity\":3,\"price\":1.25}";
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void healthz(ServiceKind kind) {
        HttpResponse<String> response = client(kind).get("/healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("ok");
        assertThat(json(response).path("name").asText()).isEqualTo(kind.command() + "-t");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("X-Served-By")).hasValue(kind.command() + "-t");

        HttpResponse<String> post = client(kind).send("POST", "/healthz", BodyPublishers.noBody(), null);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void unknownPathsAre404(ServiceKind kind) {
        String base = kind.resourcePath();
        for (String path : List.of("/", "/nope", base + "x", base + "/", base + "/1/extra", "/healthz/more")) {
            HttpResponse<String> response = client(kind).get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(errorCode(response)).as(path).isEqualTo("not_found");
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
        }
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void nonNumericIdsAre400(ServiceKind kind) {
        String base = kind.resourcePath();
        for (String id : List.of("abc", "-1", "1.0", "%31", "99999999999999999999")) {
            HttpResponse<String> get = client(kind).get(base + "/" + id);
            assertThat(get.statusCode()).as(id).isEqualTo(400);
            assertThat(errorCode(get)).as(id).isEqualTo("invalid_id");
        }
        assertThat(errorCode(client(kind).delete(base + "/abc"))).isEqualTo("invalid_id");
        assertThat(errorCode(client(kind).put(base + "/abc", validBody(kind)))).isEqualTo("invalid_id");
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void wrongMethodsAre405WithAllow(ServiceKind kind) {
        String base = kind.resourcePath();
        HttpResponse<String> onCollection = client(kind).send("DELETE", base, BodyPublishers.noBody(), null);
        assertThat(onCollection.statusCode()).isEqualTo(405);
        assertThat(onCollection.headers().firstValue("Allow")).hasValue("GET, HEAD, POST");
        assertThat(errorCode(onCollection)).isEqualTo("method_not_allowed");

        HttpResponse<String> onItem = client(kind).send("PATCH", base + "/1", BodyPublishers.ofString("{}"), "application/json");
        assertThat(onItem.statusCode()).isEqualTo(405);
        assertThat(onItem.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT, DELETE");
        assertThat(errorCode(onItem)).isEqualTo("method_not_allowed");

        HttpResponse<String> postOnItem = client(kind).post(base + "/1", validBody(kind));
        assertThat(postOnItem.statusCode()).isEqualTo(405);
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void bodiesMustBeDeclaredAsJson(ServiceKind kind) {
        String base = kind.resourcePath();
        List<HttpResponse<String>> rejected = List.of(
                client(kind).send("POST", base, BodyPublishers.ofString(validBody(kind)), null),
                client(kind).send("POST", base, BodyPublishers.ofString(validBody(kind)), "text/plain"),
                client(kind).send("POST", base, BodyPublishers.ofString(validBody(kind)), "application/jsonp"),
                client(kind).send("PUT", base + "/1", BodyPublishers.ofString(validBody(kind)), "text/json"));
        for (HttpResponse<String> response : rejected) {
            assertThat(response.statusCode()).isEqualTo(415);
            assertThat(errorCode(response)).isEqualTo("unsupported_media_type");
        }

        HttpResponse<String> withParameters = client(kind).send("POST", base,
                BodyPublishers.ofString(validBody(kind)), "Application/JSON; charset=utf-8");
        assertThat(withParameters.statusCode()).isEqualTo(201);
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void malformedJsonIs400InvalidJson(ServiceKind kind) {
        String base = kind.resourcePath();
        for (String body : List.of("{", "", "{\"a\":1} trailing", "{\"name\":\"a\",\"name\":\"b\"}", "nope")) {
            HttpResponse<String> response = client(kind).post(base, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(errorCode(response)).as(body).isEqualTo("invalid_json");
            assertThat(json(response).path("message").asText()).as(body).isNotBlank();
        }
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void bodiesOver64KiBAre413(ServiceKind kind) {
        String base = kind.resourcePath();
        byte[] padded = padToSize(validBody(kind), RequestBodies.MAX_BYTES);
        assertThat(client(kind).send("POST", base, BodyPublishers.ofByteArray(padded), "application/json").statusCode())
                .isEqualTo(201);

        byte[] oversized = padToSize(validBody(kind), RequestBodies.MAX_BYTES + 1);
        HttpResponse<String> declared = client(kind).send("POST", base, BodyPublishers.ofByteArray(oversized), "application/json");
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(errorCode(declared)).isEqualTo("payload_too_large");

        // No Content-Length: chunked upload, the limit is enforced while reading.
        HttpResponse<String> chunked = client(kind).send("PUT", base + "/1",
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[200_000])), "application/json");
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.headers().firstValue("X-Served-By")).hasValue(kind.command() + "-t");
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void everyResponseCarriesServedByAndFixedLength(ServiceKind kind) {
        String base = kind.resourcePath();
        ServiceClient c = client(kind);
        List<HttpResponse<String>> responses = new ArrayList<>(List.of(
                c.get("/healthz"), c.get(base), c.get(base + "/1"), c.get(base + "/424242"), c.get("/missing"),
                c.get(base + "/x"), c.send("PATCH", base, BodyPublishers.noBody(), null),
                c.send("POST", base, BodyPublishers.noBody(), null), c.post(base, "{}"), c.post(base, "{")));
        HttpResponse<String> created = c.post(base, validBody(kind));
        responses.add(created);
        responses.add(c.put(base + "/" + json(created).path("id").asLong(), validBody(kind)));
        responses.add(c.delete(base + "/" + json(created).path("id").asLong()));

        for (HttpResponse<String> response : responses) {
            String what = response.request().method() + " " + response.uri().getPath() + " -> " + response.statusCode();
            assertThat(response.headers().firstValue("X-Served-By")).as(what).hasValue(kind.command() + "-t");
            assertThat(response.headers().firstValue("Transfer-Encoding")).as(what).isEmpty();
            if (response.statusCode() == 204) {
                assertThat(response.body()).as(what).isEmpty();
                continue;
            }
            assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue("application/json");
            assertThat(response.headers().firstValueAsLong("Content-Length")).as(what)
                    .hasValue(response.body().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    /** HEAD wherever GET is (RFC 9110 §9.3.2): GET's status and headers, Content-Length included, and no body. */
    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void headIsAnsweredLikeGetWithoutABody(ServiceKind kind) {
        String base = kind.resourcePath();
        for (String path : List.of("/healthz", base, base + "/1", base + "/424242", base + "/x", "/missing")) {
            HttpResponse<String> get = client(kind).get(path);
            HttpResponse<String> head = client(kind).send("HEAD", path, BodyPublishers.noBody(), null);

            assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValueAsLong("Content-Length")).as(path)
                    .hasValue(get.body().getBytes(StandardCharsets.UTF_8).length);
            assertThat(head.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
            assertThat(head.headers().firstValue("X-Served-By")).as(path).hasValue(kind.command() + "-t");
        }
    }

    private static byte[] padToSize(String json, int size) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[size];
        System.arraycopy(bytes, 0, padded, 0, bytes.length);
        Arrays.fill(padded, bytes.length, size, (byte) ' ');
        return padded;
    }
}
