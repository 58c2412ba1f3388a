package io.gatehouse.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.List;

/**
 * Removes the headers that describe one connection rather than the message (RFC 9110 §7.6.1): the fixed
 * hop-by-hop set plus every header the {@code Connection} header names. The codecs frame bodies themselves.
 */
public final class HopByHopHeaders {
    private static final AsciiString[] FIXED = {
            HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
            HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE,
    };

    private HopByHopHeaders() {}

    public static void strip(HttpHeaders headers) {
        List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
        for (int i = 0; i < connection.size(); i++) {
            removeNamedIn(headers, connection.get(i));
        }
        for (AsciiString name : FIXED) {
            headers.remove(name);
        }
    }

    /** Removes each comma-separated token of a {@code Connection} value as a header name. */
    private static void removeNamedIn(HttpHeaders headers, String connectionValue) {
        int start = 0;
        int length = connectionValue.length();
        while (start < length) {
            int comma = connectionValue.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            String token = connectionValue.substring(start, end).trim();
            if (!token.isEmpty()) {
                headers.remove(token);
            }
            start = end + 1;
        }
    }
}
