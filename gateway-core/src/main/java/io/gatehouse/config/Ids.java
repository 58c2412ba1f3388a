package io.gatehouse.config;

import java.util.regex.Pattern;

/** The syntax shared by route ids and pool names. */
final class Ids {
    static final String EXPECTED = "expected letters, digits, '.', '_' and '-' only";

    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9._-]+");

    private Ids() {}

    static boolean isValid(String id) {
        return SYNTAX.matcher(id).matches();
    }
}
