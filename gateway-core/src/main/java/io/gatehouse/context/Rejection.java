package io.gatehouse.context;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

/**
 * A request the gateway answers itself with a JSON error. Every handler that refuses a request describes it with
 * one of these, and one place writes them all alike.
 *
 * @param close   close the connection after the answer (the rest of the request cannot be trusted or is too big)
 * @param headers extra response headers such as {@code Allow}, {@code WWW-Authenticate} or {@code Retry-After}
 */
public record Rejection(HttpResponseStatus status, String code, String message, boolean close,
                        HttpHeaders headers) {
    public static Rejection of(HttpResponseStatus status, String code, String message) {
        return new Rejection(status, code, message, false, EmptyHttpHeaders.INSTANCE);
    }

    public static Rejection closing(HttpResponseStatus status, String code, String message) {
        return new Rejection(status, code, message, true, EmptyHttpHeaders.INSTANCE);
    }

    /** This rejection with one more response header. */
    public Rejection withHeader(AsciiString name, Object value) {
        HttpHeaders more = new DefaultHttpHeaders().add(headers).add(name, value);
        return new Rejection(status, code, message, close, more);
    }
}
