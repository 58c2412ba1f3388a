package io.gatehouse.samples;

import java.util.Map;

/** A request that cannot be served; carries the status, error code and message for the client. */
final class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final Map<String, String> headers;

    ApiException(int status, String error, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    ApiException(int status, String error, String message) {
        this(status, error, message, Map.of());
    }

    static ApiException validation(String field, String problem) {
        return new ApiException(400, "validation_failed", field + ": " + problem);
    }

    static ApiException invalidJson(String message) {
        return new ApiException(400, "invalid_json", message);
    }

    static ApiException invalidId() {
        return new ApiException(400, "invalid_id", "id must be an unsigned decimal integer");
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    static ApiException methodNotAllowed(String allow) {
        return new ApiException(405, "method_not_allowed", "allowed methods: " + allow, Map.of("Allow", allow));
    }

    static ApiException payloadTooLarge(int maxBytes) {
        return new ApiException(413, "payload_too_large", "request body must be at most " + maxBytes + " bytes");
    }

    static ApiException unsupportedMediaType() {
        return new ApiException(415, "unsupported_media_type", "Content-Type must be application/json");
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    ApiResponse toResponse() {
        return new ApiResponse(status, new ErrorBody(error, getMessage()), headers);
    }
}
