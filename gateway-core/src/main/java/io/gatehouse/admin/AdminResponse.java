package io.gatehouse.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Objects;

/**
 * What an admin endpoint answers: a status and a JSON body. Errors have the gateway's error format,
 * {@code {"error": code, "message": text}}; the handler adds the request ID.
 *
 * @param headers extra response headers such as {@code Allow} or {@code WWW-Authenticate}
 */
record AdminResponse(HttpResponseStatus status, JsonNode body, HttpHeaders headers) {
    AdminResponse {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(headers, "headers");
    }

    static AdminResponse ok(JsonNode body) {
        return of(HttpResponseStatus.OK, body);
    }

    static AdminResponse of(HttpResponseStatus status, JsonNode body) {
        return new AdminResponse(status, body, EmptyHttpHeaders.INSTANCE);
    }

    static AdminResponse error(HttpResponseStatus status, String code, String message) {
        return of(status, errorBody(code, message));
    }

    /** {@code {"error": code, "message": message}}, to which an endpoint may add details. */
    static ObjectNode errorBody(String code, String message) {
        return JsonNodeFactory.instance.objectNode().put("error", code).put("message", message);
    }

    boolean isError() {
        return body instanceof ObjectNode object && object.has("error") && status.code() >= 400;
    }

    /** This response with one more header. */
    AdminResponse withHeader(CharSequence name, Object value) {
        return new AdminResponse(status, body, new DefaultHttpHeaders().add(headers).add(name, value));
    }
}
