package io.gatehouse.security;

import io.netty.handler.codec.http.QueryStringDecoder;

/** Removes a parameter (compared by its decoded name, as the lookup decodes it) from a raw query string. */
public final class QueryParams {
    private QueryParams() {}

    /** {@code rawQuery} without every {@code name=...} pair; null when nothing is left. */
    public static String without(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        StringBuilder kept = new StringBuilder(rawQuery.length());
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            String pair = rawQuery.substring(start, end);
            int eq = pair.indexOf('=');
            String pairName = QueryStringDecoder.decodeComponent(eq < 0 ? pair : pair.substring(0, eq));
            if (!pair.isEmpty() && !pairName.equals(name)) {
                if (kept.length() > 0) {
                    kept.append('&');
                }
                kept.append(pair);
            }
            start = end + 1;
        }
        return kept.length() == 0 ? null : kept.toString();
    }
}
