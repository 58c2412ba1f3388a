package io.gatehouse.proxy.downstream;

/**
 * The parts of a request target (RFC 9112 §3.2): origin-form {@code /path?query} or absolute-form
 * {@code http://host/path?query}. A fragment, which clients must not send, is dropped.
 *
 * @param host the authority of an absolute-form target, unchecked (see {@link HostSyntax}), else {@code null}
 */
public record RequestTarget(String rawPath, String rawQuery, String host) {

    /** @return the parsed target, or {@code null} when the form is not one the gateway accepts */
    static RequestTarget parse(String uri) {
        String host = null;
        String rest = uri;
        if (!uri.startsWith("/")) {
            int scheme = uri.indexOf("://");
            if (scheme <= 0 || !isHttpScheme(uri, scheme)) {
                return null;
            }
            int authorityEnd = authorityEnd(uri, scheme + 3);
            host = uri.substring(scheme + 3, authorityEnd);
            // "http://host?q" has an empty path, which stands for "/" (RFC 9112 §3.2.1)
            rest = authorityEnd == uri.length() || uri.charAt(authorityEnd) != '/'
                    ? "/" + uri.substring(authorityEnd)
                    : uri.substring(authorityEnd);
        }
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        int question = rest.indexOf('?');
        if (question < 0) {
            return new RequestTarget(rest, null, host);
        }
        return new RequestTarget(rest.substring(0, question), rest.substring(question + 1), host);
    }

    /** The authority ends at the first '/', '?' or '#' after it starts (RFC 3986 §3.2). */
    private static int authorityEnd(String uri, int start) {
        for (int i = start; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return i;
            }
        }
        return uri.length();
    }

    /**
     * True when every character is visible ASCII, the only bytes RFC 9112 allows in a request target. The codec
     * reads bytes as Latin-1 and the encoder upstream writes the target as UTF-8, so anything else would reach
     * the backend as different bytes.
     */
    static boolean isVisibleAscii(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHttpScheme(String uri, int schemeEnd) {
        String scheme = uri.substring(0, schemeEnd);
        return scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https");
    }

    /**
     * A Host header value without its port and without a trailing dot ("example.com." names the same host as
     * "example.com"), lower-cased, for routing; {@code null} stays {@code null}.
     */
    public static String hostWithoutPort(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            return null;
        }
        String h = hostHeader;
        if (h.charAt(0) == '[') {
            int close = h.indexOf(']');
            h = close < 0 ? h : h.substring(0, close + 1);
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0) {
                h = h.substring(0, colon);
            }
            if (h.length() > 1 && h.charAt(h.length() - 1) == '.') {
                h = h.substring(0, h.length() - 1);
            }
        }
        return h.toLowerCase(java.util.Locale.ROOT);
    }
}
