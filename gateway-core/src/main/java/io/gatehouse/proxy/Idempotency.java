package io.gatehouse.proxy;

import io.netty.handler.codec.http.HttpMethod;

/** Which methods may be sent twice without changing the outcome (RFC 9110 §9.2.2), so a retry is safe. */
final class Idempotency {
    private Idempotency() {}

    static boolean isIdempotent(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)
                || HttpMethod.PUT.equals(method) || HttpMethod.DELETE.equals(method)
                || HttpMethod.TRACE.equals(method);
    }
}
