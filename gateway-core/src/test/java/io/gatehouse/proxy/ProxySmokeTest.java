package io.gatehouse.proxy;

import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class ProxySmokeTest {
    @Test
    void proxiesAGet() throws Exception {
        try (MockWebServer backend = new MockWebServer()) {
            backend.start(0);
            backend.enqueue(new MockResponse.Builder().code(200).body("hello").build());
            try (TestGateway gateway = TestGateway.start("""
                    routes:
                      - id: r
                        match: {path_prefix: /}
                        upstream: "http://127.0.0.1:%d"
                    """.formatted(backend.getPort()))) {
                HttpResponse<String> response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(gateway.uri("/a/b?x=1")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hello");
                RecordedRequest recorded = backend.takeRequest();
                assertThat(recorded.getTarget()).isEqualTo("/a/b?x=1");
            }
        }
    }
}
