package io.gatehouse.security.jwt;

import com.auth0.jwt.interfaces.DecodedJWT;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Turns the configured claims into upstream request headers. Claim values are attacker-influenced (self-service
 * profile fields end up in tokens), so a value that could split or smuggle a header is dropped, not cleaned.
 */
final class ClaimHeaders {
    static final int MAX_VALUE_CHARS = 1024;

    private final Map<String, String> headerByClaim;

    /** @param headerByClaim claim path to header name, in the order the headers are to be sent */
    ClaimHeaders(Map<String, String> headerByClaim) {
        this.headerByClaim = headerByClaim;
    }

    /** (header, value) for each configured claim present in {@code jwt} with a safe value. */
    List<Map.Entry<String, String>> headersFor(DecodedJWT jwt) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(headerByClaim.size());
        headerByClaim.forEach((claim, header) -> {
            String value = text(ClaimPaths.resolve(jwt, claim));
            if (value != null && isSafe(value)) {
                headers.add(Map.entry(header, asUtf8Octets(value)));
            }
        });
        return headers;
    }

    /** Strings as-is, numbers and booleans as text, arrays of those joined with ","; anything else null. */
    static String text(Object value) {
        if (value instanceof List<?> list) {
            StringJoiner joined = new StringJoiner(",");
            for (Object element : list) {
                String item = scalarText(element);
                if (item == null) {
                    return null;
                }
                joined.add(item);
            }
            return joined.toString();
        }
        return scalarText(value);
    }

    private static String scalarText(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString() : null;
    }

    /**
     * The value spelled as its UTF-8 bytes, one char per byte: Netty writes each char of a header value as one byte
     * (Latin-1, '?' beyond it), so text outside ASCII would otherwise reach the backend as other bytes than the
     * token's UTF-8. ASCII, the usual case, is returned as it is.
     */
    static String asUtf8Octets(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return value;
    }

    /** No control characters (CR, LF, NUL, ...) and no more than {@link #MAX_VALUE_CHARS}. */
    static boolean isSafe(String value) {
        if (value.length() > MAX_VALUE_CHARS) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
