package io.gatehouse.samples;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes every response of a service: JSON with a fixed Content-Length, plus {@code X-Served-By}.
 * 204 responses go out without a body (and without Content-Type); answers to HEAD carry the length only.
 */
final class ResponseWriter {

    static final String SERVED_BY = "X-Served-By";
    static final String JSON = "application/json";

    private final String servedBy;

    ResponseWriter(String servedBy) {
        this.servedBy = servedBy;
    }

    void write(HttpExchange exchange, ApiResponse response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set(SERVED_BY, servedBy);
        response.headers().forEach(headers::set);
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] bytes = Json.MAPPER.writeValueAsBytes(response.body());
        headers.set("Content-Type", JSON);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            // The JDK server sends no body for HEAD and wants Content-Length set by hand.
            headers.set("Content-Length", Integer.toString(bytes.length));
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
