package io.gatehouse.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** Test HTTP client bound to one running {@link SampleServer}. */
final class ServiceClient {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String JSON = "application/json";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;

    ServiceClient(SampleServer server) {
        this.base = URI.create("http://127.0.0.1:" + server.port());
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, BodyPublishers.noBody(), null);
    }

    HttpResponse<String> delete(String path) {
        return send("DELETE", path, BodyPublishers.noBody(), null);
    }

    HttpResponse<String> post(String path, String json) {
        return send("POST", path, BodyPublishers.ofString(json), JSON);
    }

    HttpResponse<String> put(String path, String json) {
        return send("PUT", path, BodyPublishers.ofString(json), JSON);
    }

    HttpResponse<String> send(String method, String path, BodyPublisher body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return http.send(request.build(), BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String errorCode(HttpResponse<String> response) {
        return json(response).path("error").asText();
    }
}
