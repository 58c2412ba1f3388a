package io.gatehouse.security.jwt;

import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds a claim by a dotted path such as {@code realm_access.roles}. A claim whose own name contains dots (the
 * namespaced {@code https://example.com/roles} style) is found too: the whole path is tried as a name first.
 */
final class ClaimPaths {
    private ClaimPaths() {
    }

    /** The value at {@code path} as plain Java (String, Number, Boolean, List, Map), or {@code null}. */
    static Object resolve(DecodedJWT jwt, String path) {
        Object whole = plain(jwt.getClaim(path));
        if (whole != null || path.indexOf('.') < 0) {
            return whole;
        }
        String[] segments = path.split("\\.", -1);
        Object current = plain(jwt.getClaim(segments[0]));
        for (int i = 1; i < segments.length && current != null; i++) {
            current = current instanceof Map<?, ?> object ? object.get(segments[i]) : null;
        }
        return current;
    }

    /** Roles at {@code path}: the strings of a JSON array, or the words of a space-separated string. */
    static List<String> roles(DecodedJWT jwt, String path) {
        Object value = path == null ? null : resolve(jwt, path);
        List<String> roles = new ArrayList<>();
        if (value instanceof String words) {
            addWords(words, roles);
        } else if (value instanceof List<?> list) {
            for (Object element : list) {
                if (element instanceof String role) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }

    /** Splits at runs of whitespace by hand: this runs per request, where no regex should. */
    private static void addWords(String words, List<String> out) {
        int start = -1;
        for (int i = 0; i <= words.length(); i++) {
            boolean boundary = i == words.length() || Character.isWhitespace(words.charAt(i));
            if (boundary && start >= 0) {
                out.add(words.substring(start, i));
                start = -1;
            } else if (!boundary && start < 0) {
                start = i;
            }
        }
    }

    private static Object plain(Claim claim) {
        if (claim.isMissing() || claim.isNull()) {
            return null;
        }
        try {
            return claim.as(Object.class);
        } catch (JWTDecodeException e) {
            return null;
        }
    }
}
