package io.gatehouse.context;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

/**
 * A request the gateway answers itself with a JSON error. Every handler that refuses a request describes it with
 * one of these, and one place writes them all alike.
 *
 * @param close       close the connection after the answer (the rest of the request cannot be trusted or is too big)
 * @param headerName  one extra response header such as {@code Allow} or {@code WWW-Authenticate}, or {@code null}
 */
public record Rejection(HttpResponseStatus status, String code, String message, boolean close,
                        AsciiString headerName, String headerValue) {
    public static Rejection of(HttpResponseStatus status, String code, String message) {
        return new Rejection(status, code, message, false, null, null);
    }

    public static Rejection closing(HttpResponseStatus status, String code, String message) {
        return new Rejection(status, code, message, true, null, null);
    }

    /** This rejection with an extra response header. */
    public Rejection withHeader(AsciiString name, String value) {
        return new Rejection(status, code, message, close, name, value);
    }
}
