package io.gatehouse.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the admin API refuses, answered as {@code {"error": code, "message": message}}. Thrown by endpoints
 * for bad input; the message is for the operator and never carries an exception's text.
 */
final class AdminException extends RuntimeException {
    private final transient HttpResponseStatus status;
    private final String code;

    AdminException(HttpResponseStatus status, String code, String message) {
        super(message, null, false, false); // an answer, not a failure: no stack trace
        this.status = status;
        this.code = code;
    }

    AdminResponse response() {
        return AdminResponse.error(status, code, getMessage());
    }
}
