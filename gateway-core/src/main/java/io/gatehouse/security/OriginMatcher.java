package io.gatehouse.security;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a request's {@code Origin} is on a CORS allow-list, checked per request without regexes or allocation.
 *
 * <p>Origins are compared as the text browsers send (the serialised origin, never normalised): scheme and host
 * ignoring ASCII case, the port exactly, so {@code https://a.example.com:443} is not {@code https://a.example.com}.
 * A wildcard entry {@code https://*.example.com} stands for one or more DNS labels before {@code .example.com}, with
 * the same scheme and the same port (none unless the entry names one); the labels are checked character by
 * character so that {@code /}, {@code @}, {@code :} and the like cannot smuggle another host in front of the
 * suffix. The opaque origin {@code null} (sandboxed frames, {@code file:} pages, cross-origin redirects) is never
 * allowed, not even by {@code *}: any page can make its requests carry it.
 *
 * <p>Allow-lists are short, so a linear scan beats hashing, which would need the origin lower-cased first.
 */
final class OriginMatcher {
    private final boolean any;
    private final String[] exact;
    /** {@code wildcardSchemes[i]} ({@code "https://"}) and {@code wildcardSuffixes[i]} ({@code ".example.com"}). */
    private final String[] wildcardSchemes;
    private final String[] wildcardSuffixes;

    /** @throws IllegalArgumentException for an entry not {@code scheme://host[:port]}, or {@code *} among others */
    OriginMatcher(List<String> entries) {
        List<String> exactOrigins = new ArrayList<>();
        List<String> schemes = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        boolean star = false;
        for (String raw : entries) {
            String entry = raw.trim();
            int separator = entry.indexOf("://");
            if (entry.equals("*")) {
                star = true;
            } else if (separator <= 0 || !isScheme(entry, separator)) {
                throw badEntry(raw);
            } else if (entry.startsWith("*.", separator + 3)) {
                if (!isHostAndPort(entry, separator + 5, false)) {
                    throw badEntry(raw);
                }
                schemes.add(entry.substring(0, separator + 3));
                suffixes.add(entry.substring(separator + 4));
            } else if (isHostAndPort(entry, separator + 3, true)) {
                exactOrigins.add(entry);
            } else {
                throw badEntry(raw);
            }
        }
        if (star && entries.size() > 1) {
            throw new IllegalArgumentException("allowed origin \"*\" must be the only entry");
        }
        this.any = star;
        this.exact = exactOrigins.toArray(String[]::new);
        this.wildcardSchemes = schemes.toArray(String[]::new);
        this.wildcardSuffixes = suffixes.toArray(String[]::new);
    }

    /** Whether the list is the single entry {@code *}. */
    boolean any() {
        return any;
    }

    boolean matches(String origin) {
        if (origin == null || origin.isEmpty() || origin.equals("null")) {
            return false;
        }
        if (any) {
            return true;
        }
        for (String allowed : exact) {
            if (allowed.length() == origin.length()
                    && HeaderValues.regionEqualsIgnoreCase(origin, 0, allowed, 0, allowed.length())) {
                return true;
            }
        }
        for (int i = 0; i < wildcardSchemes.length; i++) {
            if (matchesWildcard(origin, wildcardSchemes[i], wildcardSuffixes[i])) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesWildcard(String origin, String scheme, String suffix) {
        int labelsEnd = origin.length() - suffix.length();
        return labelsEnd > scheme.length()
                && HeaderValues.regionEqualsIgnoreCase(origin, 0, scheme, 0, scheme.length())
                && HeaderValues.regionEqualsIgnoreCase(origin, labelsEnd, suffix, 0, suffix.length())
                && isDnsLabels(origin, scheme.length(), labelsEnd);
    }

    /** RFC 3986 scheme: a letter, then letters, digits, {@code + - .}. */
    private static boolean isScheme(String s, int end) {
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (!isLetter(c) && (i == 0 || !isDigit(c) && c != '+' && c != '-' && c != '.')) {
                return false;
            }
        }
        return true;
    }

    /** {@code s[from..]} is a host (DNS labels, or a bracketed IPv6 literal if allowed) and an optional port. */
    private static boolean isHostAndPort(String s, int from, boolean ipv6Allowed) {
        int hostEnd;
        if (ipv6Allowed && s.startsWith("[", from)) {
            hostEnd = s.indexOf(']', from) + 1;
            if (hostEnd <= from + 2 || !isIpv6Literal(s, from + 1, hostEnd - 1)) {
                return false;
            }
        } else {
            int colon = s.indexOf(':', from);
            hostEnd = colon < 0 ? s.length() : colon;
            if (!isDnsLabels(s, from, hostEnd)) {
                return false;
            }
        }
        return hostEnd == s.length() || s.charAt(hostEnd) == ':' && isPort(s, hostEnd + 1);
    }

    /** One or more non-empty dot-separated labels of letters, digits, {@code -} and {@code _}. */
    private static boolean isDnsLabels(String s, int from, int to) {
        if (from >= to || s.charAt(from) == '.' || s.charAt(to - 1) == '.') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean labelChar = isLetter(c) || isDigit(c) || c == '-' || c == '_';
            if (!labelChar && (c != '.' || s.charAt(i - 1) == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6Literal(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c) && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') && c != ':' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isPort(String s, int from) {
        int digits = s.length() - from;
        for (int i = from; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return digits >= 1 && digits <= 5 && Integer.parseInt(s, from, s.length(), 10) <= 65535;
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException badEntry(String entry) {
        return new IllegalArgumentException(
                "allowed origin \"" + entry + "\" (expected: scheme://host[:port], scheme://*.domain[:port] or *)");
    }
}
