package io.gatehouse.config;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Compiles the regular expressions a config puts on the request path ({@code path_regex}, {@code ~regex} header
 * and query values) with RE2/J. Its matching time is linear in the input, whatever the pattern: a backtracking
 * engine such as {@code java.util.regex} can take seconds or years on one crafted path or header
 * ({@code ^/(.*a){12}$} against {@code /aaa...a!}), holding an event loop and every connection on it. The price
 * is RE2 syntax, which has no backreferences and no lookaround (docs/configuration.md).
 */
public final class Regexes {
    /** The expectation every syntax error starts with; the config reference explains RE2 syntax. */
    public static final String EXPECTED =
            "expected a regular expression in RE2 syntax, without backreferences or lookaround";

    private Regexes() {}

    /**
     * @throws IllegalArgumentException {@link #EXPECTED}, then what RE2 could not parse, e.g.
     *                                  {@code invalid escape sequence: `\1`}
     */
    public static Pattern compile(String regex) {
        requireNonNull(regex, "regex");
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(EXPECTED + ": " + e.getDescription() + ": `" + e.getPattern() + "`", e);
        }
    }
}
