package io.gatehouse.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the gateway answers itself with a JSON error.
 *
 * @param close close the connection after the answer (the rest of the request cannot be trusted or is too big)
 */
public record Rejection(HttpResponseStatus status, String code, String message, boolean close) {
    static Rejection of(HttpResponseStatus status, String code, String message) {
        return new Rejection(status, code, message, false);
    }

    static Rejection closing(HttpResponseStatus status, String code, String message) {
        return new Rejection(status, code, message, true);
    }
}
