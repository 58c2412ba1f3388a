package io.gatehouse.server;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana query variable, {@code label_values(metric{...}, label)})
 * selects. Not a parser: it removes what cannot be a metric name (strings, label matchers, ranges, grouping
 * clauses, Grafana's {@code $variables}), then keeps each identifier that is neither a keyword nor followed by
 * {@code (} (a function or an aggregation).
 */
final class PromQlMetricNames {
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
    private static final Pattern BRACKETS = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("\\blabel_values\\s*\\(([^,)]*)(?:,[^)]*)?\\)");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\w+");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.$])[A-Za-z_:][\\w:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan",
            "by", "without", "on", "ignoring", "group_left", "group_right");

    private PromQlMetricNames() {}

    static Set<String> in(String expression) {
        String rest = STRINGS.matcher(expression).replaceAll(" ");
        rest = LABEL_VALUES.matcher(rest).replaceAll("$1");
        rest = BRACES.matcher(rest).replaceAll(" ");
        rest = BRACKETS.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        rest = VARIABLES.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String name = identifier.group();
            if (!KEYWORDS.contains(name.toLowerCase(Locale.ROOT)) && !calls(rest, identifier.end())) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean calls(String text, int after) {
        int i = after;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '(';
    }
}
