package io.gatehouse.proxy;

/**
 * The parts of a request target (RFC 9112 §3.2): origin-form {@code /path?query} or absolute-form
 * {@code http://host/path?query}. A fragment, which clients must not send, is dropped.
 *
 * @param host the authority of an absolute-form target, else {@code null}
 */
record RequestTarget(String rawPath, String rawQuery, String host) {

    /** @return the parsed target, or {@code null} when the form is not one the gateway accepts */
    static RequestTarget parse(String uri) {
        String host = null;
        String rest = uri;
        if (!uri.startsWith("/")) {
            int scheme = uri.indexOf("://");
            if (scheme <= 0 || !isHttpScheme(uri, scheme)) {
                return null;
            }
            int pathStart = uri.indexOf('/', scheme + 3);
            host = uri.substring(scheme + 3, pathStart < 0 ? uri.length() : pathStart);
            rest = pathStart < 0 ? "/" : uri.substring(pathStart);
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

    private static boolean isHttpScheme(String uri, int schemeEnd) {
        String scheme = uri.substring(0, schemeEnd);
        return scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https");
    }

    /** A Host header value without its port, lower-cased; {@code null} stays {@code null}. */
    static String hostWithoutPort(String hostHeader) {
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
        }
        return h.toLowerCase(java.util.Locale.ROOT);
    }
}
