package io.gatehouse.server;

import io.gatehouse.reload.ReloadOutcome;
import io.gatehouse.reload.ReloadOutcome.Result;
import io.gatehouse.testing.EtcdServer;
import io.gatehouse.testing.NamedBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link Gatehouse} whose configuration is a key of a real etcd: a put applies it, an invalid one is refused and
 * the running config keeps serving, and the admin API's persisted changes are written to the key.
 */
class GatehouseEtcdTest {
    private static final String KEY = "/gatehouse/config";
    private static final Map<String, String> ENV = Map.of("GATEWAY_PORT", "0");
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private EtcdServer etcd;
    private NamedBackend a;
    private NamedBackend b;
    private Gatehouse gatehouse;

    @BeforeEach
    void start() throws Exception {
        etcd = EtcdServer.start();
        a = new NamedBackend("a");
        b = new NamedBackend("b");
        etcd.put(KEY, config(a, "/a"));
        gatehouse = Gatehouse.open("etcd://" + etcd.authority() + KEY, ENV, StartOptions.defaults().threads(2));
    }

    @AfterEach
    void stop() throws Exception {
        if (gatehouse != null) {
            gatehouse.shutdown(Duration.ZERO);
        }
        a.close();
        b.close();
        etcd.close();
    }

    @Test
    void aPutToTheKeyIsApplied() throws Exception {
        assertThat(get(gatehouse.server().port(), "/a").body()).isEqualTo("a");

        etcd.put(KEY, config(b, "/b"));

        await().atMost(WITHIN).until(() -> get(gatehouse.server().port(), "/b").statusCode() == 200);
        assertThat(get(gatehouse.server().port(), "/b").body()).isEqualTo("b");
        ReloadOutcome last = gatehouse.reloader().history().get(0);
        assertThat(last.trigger()).isEqualTo("etcd");
        assertThat(last.result()).isEqualTo(Result.APPLIED);
    }

    @Test
    void anInvalidPutIsRefusedAndTheRunningConfigKeepsServing() throws Exception {
        etcd.put(KEY, config(b, "/b").replace("path_prefix: /b", "path_prefix: b"));

        await().atMost(WITHIN).until(() -> !gatehouse.reloader().history().isEmpty());
        ReloadOutcome last = gatehouse.reloader().history().get(0);
        assertThat(last.result()).isEqualTo(Result.REJECTED);
        assertThat(last.trigger()).isEqualTo("etcd");
        assertThat(last.errors()).singleElement().asString().startsWith("routes[0].match.path_prefix:");
        assertThat(get(gatehouse.server().port(), "/a").body()).isEqualTo("a");
    }

    @Test
    void theAdminApisChangesAreWrittenToTheKeyEvenWithoutPersist() throws Exception {
        int adminPort = gatehouse.admin().port();

        HttpResponse<String> put = putRoute(adminPort, "c", "");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(put.body()).contains("\"persisted\":true");
        assertThat(etcd.get(KEY)).contains("/c").contains(b.url());
    }

    @Test
    void theAdminApisPersistedChangesAreWrittenToTheKey() throws Exception {
        int adminPort = gatehouse.admin().port();

        HttpResponse<String> put = putRoute(adminPort, "b", "?persist=true");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(get(gatehouse.server().port(), "/b").body()).isEqualTo("b");
        assertThat(etcd.get(KEY)).contains("/b").contains(b.url()).contains("/a");
    }

    private static String config(NamedBackend backend, String path) {
        return """
                admin: {address: "127.0.0.1:0", allow_unauthenticated_loopback: true}
                routes:
                  - {id: r, match: {path_prefix: %s}, upstream: "%s"}
                """.formatted(path, backend.url());
    }

    /** PUTs route {@code id} on {@code /id} to backend b through the admin API. */
    private HttpResponse<String> putRoute(int adminPort, String id, String query) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/admin/routes/" + id + query))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"match\": {\"path_prefix\": \"/" + id
                        + "\"}, \"upstream\": \"" + b.url() + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
