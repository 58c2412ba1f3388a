package io.gatehouse.route;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/** A route's {@code host} condition: an exact name, or {@code *.example.com} for any subdomain of it. */
final class HostMatcher {
    private final String exact;
    /** ".example.com" for a wildcard; null for an exact name. */
    private final String suffix;

    private HostMatcher(String exact, String suffix) {
        this.exact = exact;
        this.suffix = suffix;
    }

    static HostMatcher compile(String spec) {
        String host = requireNonNull(spec, "spec").toLowerCase(Locale.ROOT);
        if (host.startsWith("*.")) {
            if (host.length() == 2 || host.indexOf('*', 1) >= 0) {
                throw new IllegalArgumentException("invalid host wildcard: " + spec);
            }
            return new HostMatcher(null, host.substring(1));
        }
        if (host.isEmpty() || host.indexOf('*') >= 0) {
            throw new IllegalArgumentException("invalid host: " + spec);
        }
        return new HostMatcher(host, null);
    }

    /** @param host the request host, lower-case without port; null when the request named none */
    boolean matches(String host) {
        if (host == null) {
            return false;
        }
        if (exact != null) {
            return exact.equals(host);
        }
        // A longer name with the suffix has at least one more label, e.g. "a.example.com".
        return host.length() > suffix.length() && host.endsWith(suffix);
    }
}
