package io.gatehouse.proxy;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

/** Which client-sent {@code X-Request-ID} values the gateway keeps: 1–128 chars of {@code [A-Za-z0-9._-]}. */
final class RequestIds {
    private static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    private static final int MAX_LENGTH = 128;

    private RequestIds() {}

    /** The client's {@code X-Request-ID} when it is acceptable, else {@code null}. */
    static String fromClient(HttpRequest head) {
        String id = head.headers().get(X_REQUEST_ID);
        return id != null && isValid(id) ? id : null;
    }

    static boolean isValid(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
