package io.gatehouse.config;

import java.util.regex.Pattern;

/** The RFC 9110 token syntax that methods and header names in the config must follow. */
final class HttpTokens {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private HttpTokens() {}

    static boolean isToken(String text) {
        return TOKEN.matcher(text).matches();
    }
}
