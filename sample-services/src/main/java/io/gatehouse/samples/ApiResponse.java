package io.gatehouse.samples;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response to be written by {@link ResponseWriter}.
 *
 * @param status  HTTP status
 * @param body    object serialised as JSON, or {@code null} for a body-less response (204)
 * @param headers extra response headers (never derived from request data)
 */
record ApiResponse(int status, Object body, Map<String, String> headers) {

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, body, Map.of());
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, body, copy);
    }
}
