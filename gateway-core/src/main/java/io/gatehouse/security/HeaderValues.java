package io.gatehouse.security;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Helpers for header names and comma-separated header values, for code that runs on an event loop per request:
 * they allocate nothing unless they build a new value.
 *
 * <p>Comparisons fold ASCII letters only: {@link String#equalsIgnoreCase} also folds Unicode (the Kelvin sign
 * {@code U+212A} equals {@code k}), which would let a non-ASCII value pass for a configured ASCII one.
 */
final class HeaderValues {
    private HeaderValues() {}

    /** Whether {@code a[aFrom, aFrom + length)} equals {@code b[bFrom, bFrom + length)}, ignoring ASCII case. */
    static boolean regionEqualsIgnoreCase(CharSequence a, int aFrom, CharSequence b, int bFrom, int length) {
        for (int i = 0; i < length; i++) {
            if (toLowerAscii(a.charAt(aFrom + i)) != toLowerAscii(b.charAt(bFrom + i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s[from, to)} is a non-empty RFC 9110 token, the grammar of header names and methods. */
    static boolean isToken(CharSequence s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The end of the list element starting at {@code from}: the next comma, or the end of {@code list}. */
    static int elementEnd(CharSequence list, int from) {
        int i = from;
        while (i < list.length() && list.charAt(i) != ',') {
            i++;
        }
        return i;
    }

    /** The first index in {@code [from, to)} that is not optional whitespace (space or tab), or {@code to}. */
    static int skipSpaces(CharSequence s, int from, int to) {
        int i = from;
        while (i < to && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The end of {@code s[from, to)} without trailing optional whitespace. */
    static int trimEnd(CharSequence s, int from, int to) {
        int i = to;
        while (i > from && isSpace(s.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /** Whether the comma-separated {@code list} has an element equal to {@code token}, ignoring ASCII case. */
    static boolean listContains(CharSequence list, CharSequence token) {
        for (int from = 0; from < list.length(); ) {
            int comma = elementEnd(list, from);
            int start = skipSpaces(list, from, comma);
            int end = trimEnd(list, start, comma);
            if (end - start == token.length() && regionEqualsIgnoreCase(list, start, token, 0, token.length())) {
                return true;
            }
            from = comma + 1;
        }
        return false;
    }

    /**
     * Adds {@code names} ({@code value} joined) to {@code Vary}: sets it when absent, otherwise appends the names not
     * yet listed, as one value. {@code Vary: *} already covers everything. Allocates only when an upstream sent its
     * own Vary.
     */
    static void addToVary(HttpHeaders response, AsciiString[] names, AsciiString value) {
        String current = response.contains(HttpHeaderNames.VARY)
                ? String.join(", ", response.getAll(HttpHeaderNames.VARY)) : "";
        if (current.isBlank()) {
            response.set(HttpHeaderNames.VARY, value);
            return;
        }
        if (listContains(current, "*")) {
            return;
        }
        StringBuilder merged = new StringBuilder(current);
        for (AsciiString name : names) {
            if (!listContains(current, name)) {
                merged.append(", ").append(name);
            }
        }
        response.set(HttpHeaderNames.VARY, merged.toString());
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static char toLowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}
