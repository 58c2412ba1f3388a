package io.gatehouse.route;

import static java.util.Objects.requireNonNull;

/**
 * Puts a request path in the one canonical form that routing and the upstream see, so that encoded
 * or dotted variants of a path cannot reach a route the plain spelling would not.
 */
public final class PathNormalizer {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathNormalizer() {
    }

    /**
     * @param rawPath the path part of the request target, before any {@code '?'}
     * @return the normalized path; {@code rawPath} itself when it is already normal
     * @throws InvalidPathException when the path is not absolute or contains an encoded slash or
     *                              backslash, a backslash, a semicolon, a control character or a malformed
     *                              escape
     */
    public static String normalize(String rawPath) {
        requireNonNull(rawPath, "rawPath");
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw new InvalidPathException("path must start with '/'");
        }
        if (rawPath.indexOf(';') >= 0) {
            // Servlet containers drop ";params" and read "..;" as "..": /admin;x or /public/..;/admin would
            // reach a protected path there while the gateway routed it elsewhere.
            throw new InvalidPathException("path parameters (';') are not accepted");
        }
        if (isPlain(rawPath)) {
            return rawPath;
        }
        String normalized = removeDotSegments(decodeAndMergeSlashes(rawPath));
        return normalized.equals(rawPath) ? rawPath : normalized;
    }

    private static boolean isPlain(String path) {
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' || c == '.' || c == '\\' || isControl(c) || (c == '/' && previous == '/')) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** Validates every character and escape, decodes unreserved escapes, upper-cases the rest, merges "//". */
    private static String decodeAndMergeSlashes(String path) {
        StringBuilder out = new StringBuilder(path.length()).append('/');
        for (int i = 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                int value = escapedValue(path, i);
                i += 2;
                rejectEncoded(value);
                if (isUnreserved(value)) {
                    out.append((char) value);
                } else {
                    out.append('%').append(HEX[value >> 4]).append(HEX[value & 0xF]);
                }
            } else {
                rejectLiteral(c);
                if (c != '/' || out.charAt(out.length() - 1) != '/') {
                    out.append(c);
                }
            }
        }
        return out.toString();
    }

    private static int escapedValue(String path, int percentIndex) {
        if (percentIndex + 2 >= path.length()) {
            throw new InvalidPathException("incomplete percent-encoding in path");
        }
        int high = hexValue(path.charAt(percentIndex + 1));
        int low = hexValue(path.charAt(percentIndex + 2));
        if (high < 0 || low < 0) {
            throw new InvalidPathException("invalid percent-encoding in path");
        }
        return high << 4 | low;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static void rejectEncoded(int value) {
        if (value == '/') {
            throw new InvalidPathException("encoded slash (%2F) in path");
        }
        if (value == '\\') {
            throw new InvalidPathException("encoded backslash (%5C) in path");
        }
        if (value == 0) {
            throw new InvalidPathException("encoded NUL (%00) in path");
        }
        if (isControl(value)) {
            throw new InvalidPathException("encoded control character (%" + HEX[value >> 4] + HEX[value & 0xF]
                    + ") in path");
        }
    }

    private static void rejectLiteral(char c) {
        if (c == '\\') {
            throw new InvalidPathException("backslash in path");
        }
        if (c == 0) {
            throw new InvalidPathException("NUL character in path");
        }
        if (isControl(c)) {
            throw new InvalidPathException("control character in path");
        }
    }

    private static boolean isControl(int c) {
        return c < 0x20 || c == 0x7F;
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /**
     * RFC 3986 §5.2.4 for an absolute path without empty segments (slashes are merged already):
     * "." segments vanish, ".." removes the segment before it and never climbs above the root.
     */
    private static String removeDotSegments(String path) {
        StringBuilder out = new StringBuilder(path.length());
        int start = 1;
        while (true) {
            int end = path.indexOf('/', start);
            boolean last = end < 0;
            if (last) {
                end = path.length();
            }
            int length = end - start;
            boolean dot = length == 1 && path.charAt(start) == '.';
            boolean dotDot = length == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.';
            if (dotDot) {
                out.setLength(Math.max(out.lastIndexOf("/"), 0));
            }
            if (dot || dotDot) {
                if (last) {
                    out.append('/');
                }
            } else {
                out.append('/').append(path, start, end);
            }
            if (last) {
                return out.toString();
            }
            start = end + 1;
        }
    }
}
