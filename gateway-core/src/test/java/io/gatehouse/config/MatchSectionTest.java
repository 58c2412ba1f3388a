package io.gatehouse.config;

import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MatchSectionTest {
    private static final String ONE_PATH = "(expected exactly one of: path, path_prefix, path_template, path_regex)";
    private static final String RE2_EXPECTED =
            "expected a regular expression in RE2 syntax, without backreferences or lookaround";

    private static MatchConfig match(String flowMap) {
        return parse(route(flowMap)).routes().get(0).match();
    }

    private static List<String> matchErrors(String flowMap) {
        return errors(route(flowMap));
    }

    private static String route(String flowMap) {
        return "routes:\n  - id: r\n    upstream: http://a:1\n    match: " + flowMap + "\n";
    }

    @Test
    void exactlyOnePath() {
        assertThat(match("{path: /a}").path()).isEqualTo("/a");
        assertThat(match("{path_regex: \"^/a/\\\\d+$\"}").pathRegex()).isEqualTo("^/a/\\d+$");
        assertThat(matchErrors("{methods: [GET]}")).containsExactly("routes[0].match: no path to match " + ONE_PATH);
        assertThat(matchErrors("{path: /a, path_prefix: /b, path_regex: x}"))
                .containsExactly("routes[0].match: several paths set: path, path_prefix, path_regex " + ONE_PATH);
        assertThat(errors("routes:\n  - id: r\n    upstream: http://a:1\n")).containsExactly(
                "routes[0].match: missing (expected a map with exactly one of: path, path_prefix, path_template,"
                        + " path_regex)");
        assertThat(matchErrors("{paths: /a, path: /a}")).containsExactly(
                "routes[0].match.paths: unknown key (expected one of: path, path_prefix, path_template, path_regex,"
                        + " methods, headers, query, host)");
    }

    @ParameterizedTest
    @CsvSource({"/, /", "/users, /users", "/users/, /users", "/users//, /users", "//, /"})
    void pathPrefixTrailingSlashIsTrimmed(String written, String stored) {
        assertThat(match("{path_prefix: \"" + written + "\"}").pathPrefix()).isEqualTo(stored);
    }

    @Test
    void pathsMustBeAbsolute() {
        assertThat(matchErrors("{path: a}"))
                .containsExactly("routes[0].match.path: \"a\" (expected a path starting with /)");
        assertThat(matchErrors("{path_prefix: users}"))
                .containsExactly("routes[0].match.path_prefix: \"users\" (expected a path starting with /)");
        assertThat(matchErrors("{path_template: \"users/{id}\"}")).containsExactly(
                "routes[0].match.path_template: \"users/{id}\" (expected a path template starting with /, as in"
                        + " /users/{id})");
    }

    @Test
    void pathRegexMustCompile() {
        assertThat(matchErrors("{path_regex: \"/a(\"}")).containsExactly(
                "routes[0].match.path_regex: \"/a(\" (" + RE2_EXPECTED + ": missing closing ): `/a(`)");
    }

    /** RE2 matches in linear time because it has no backreferences and no lookaround: both are config errors. */
    @Test
    void pathRegexWithBackreferenceOrLookaroundIsRejectedNamingIt() {
        assertThat(matchErrors("{path_regex: \"/(a)\\\\1\"}")).containsExactly(
                "routes[0].match.path_regex: \"/(a)\\\\1\" (" + RE2_EXPECTED + ": invalid escape sequence: `\\1`)");
        assertThat(matchErrors("{path_regex: \"/(?=x)\"}")).containsExactly(
                "routes[0].match.path_regex: \"/(?=x)\" (" + RE2_EXPECTED
                        + ": invalid or unsupported Perl syntax: `(?=`)");
        assertThat(matchErrors("{path: /, headers: {x-a: \"~(?<!b)a\"}, query: {q: \"~(a)\\\\1\"}}")).containsExactly(
                "routes[0].match.headers.x-a: \"~(?<!b)a\" (" + RE2_EXPECTED + ": invalid named capture: `(?<!b)a`)",
                "routes[0].match.query.q: \"~(a)\\\\1\" (" + RE2_EXPECTED + ": invalid escape sequence: `\\1`)");
    }

    /** The syntax docs/configuration.md lists as unsupported is refused, and what it lists as supported compiles. */
    @ParameterizedTest
    @ValueSource(strings = {"(a)\\1", "(?P<n>a)\\k<n>", "(?=x)", "(?!x)", "(?<=x)a", "(?<!x)a", "a++", "(?>a)", "a\\Z",
            "\\Ga", "\\R", "\\h", "\\p{Alpha}"})
    void unsupportedRegexSyntaxIsRefused(String regex) {
        assertThat(matchErrors("{path: /, headers: {x-a: " + quoted("~" + regex) + "}}"))
                .singleElement().asString().contains(RE2_EXPECTED + ": ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.*?b", "(?:a|b){1,1000}", "(?P<n>a)(?<m>b)", "[a-z]\\d\\w\\s", "[[:alpha:]]\\pL\\p{Greek}",
            "\\A^a$\\z\\b", "(?i)abc", "\\~abc"})
    void supportedRegexSyntaxCompiles(String regex) {
        assertThat(match("{path: /, headers: {x-a: " + quoted("~" + regex) + "}}").headers())
                .containsEntry("x-a", "~" + regex);
    }

    /** {@code text} as a YAML double-quoted string. */
    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void pathTemplates() {
        assertThat(match("{path_template: \"/users/{id}/orders/{order_id2}\"}").pathTemplate())
                .isEqualTo("/users/{id}/orders/{order_id2}");
        String wholeSegment = "(expected each {name} to be a whole path segment, as in /users/{id})";
        String name = "(expected variable names of letters, digits and _, not starting with a digit)";
        assertThat(templateError("/users/x{id}")).isEqualTo("\"/users/x{id}\" " + wholeSegment);
        assertThat(templateError("/users/{id")).isEqualTo("\"/users/{id\" " + wholeSegment);
        assertThat(templateError("/users/id}")).isEqualTo("\"/users/id}\" " + wholeSegment);
        assertThat(templateError("/{a}{b}")).isEqualTo("\"/{a}{b}\" " + wholeSegment);
        assertThat(templateError("/{}")).isEqualTo("\"/{}\" " + name);
        assertThat(templateError("/{1d}")).isEqualTo("\"/{1d}\" " + name);
        assertThat(templateError("/{user-id}")).isEqualTo("\"/{user-id}\" " + name);
        assertThat(templateError("/a/{id}/b/{id}"))
                .isEqualTo("\"/a/{id}/b/{id}\" (expected distinct variable names; {id} is repeated)");
    }

    private static String templateError(String template) {
        List<String> errors = matchErrors("{path_template: \"" + template + "\"}");
        assertThat(errors).hasSize(1).allSatisfy(e -> assertThat(e).startsWith("routes[0].match.path_template: "));
        return errors.get(0).substring("routes[0].match.path_template: ".length());
    }

    @Test
    void methods() {
        assertThat(match("{path: /, methods: [get, Post, GET]}").methods()).containsExactly("GET", "POST");
        assertThat(match("{path: /}").methods()).isEmpty();
        assertThat(matchErrors("{path: /, methods: [\"GE T\", \"\"]}")).containsExactly(
                "routes[0].match.methods[0]: \"GE T\" (expected an HTTP method token such as GET)",
                "routes[0].match.methods[1]: \"\" (expected an HTTP method token such as GET)");
        assertThat(match("{path: /, methods: [trace]}").methods()).as("TRACE only by name").containsExactly("TRACE");
        assertThat(matchErrors("{path: /, methods: [GET, connect]}")).containsExactly(
                "routes[0].match.methods[1]: \"connect\" (expected a method the gateway proxies; CONNECT opens a"
                        + " tunnel, which it never does)");
        assertThat(matchErrors("{path: /, methods: GET}")).containsExactly(
                "routes[0].match.methods: \"GET\" (expected a list of HTTP methods such as [GET, POST])");
    }

    @Test
    void headers() {
        MatchConfig match = match("{path: /, headers: {X-Version: 2, X-Trace: \"~^[a-f0-9]+$\", Cookie: true,"
                + " X-Empty: \"\"}}");

        assertThat(match.headers()).containsExactly(
                java.util.Map.entry("x-version", "2"), java.util.Map.entry("x-trace", "~^[a-f0-9]+$"),
                java.util.Map.entry("cookie", ""), java.util.Map.entry("x-empty", ""));
        String valueExpected = "(expected an exact value, \"~regex\", or true or \"\" for presence)";
        assertThat(matchErrors("{path: /, headers: {\"bad name\": a, X-A: a, x-a: b, x-off: false, x-null: ~,"
                + " x-re: \"~[\", x-list: [a]}}")).containsExactly(
                "routes[0].match.headers.bad name: invalid header name (expected a token such as x-api-version)",
                "routes[0].match.headers.x-a: repeated header (expected each header once, in any letter case; also"
                        + " routes[0].match.headers.X-A)",
                "routes[0].match.headers.x-off: false " + valueExpected,
                "routes[0].match.headers.x-null: null " + valueExpected,
                "routes[0].match.headers.x-re: \"~[\" (" + RE2_EXPECTED + ": missing closing ]: `[`)",
                "routes[0].match.headers.x-list: a list " + valueExpected);
        assertThat(matchErrors("{path: /, headers: [x-a]}")).containsExactly(
                "routes[0].match.headers: a list (expected a map of header name to value)");
    }

    @Test
    void query() {
        MatchConfig match = match("{path: /, query: {Debug: true, v: 2, q: \"~^a\"}}");

        assertThat(match.query()).containsExactly(
                java.util.Map.entry("Debug", ""), java.util.Map.entry("v", "2"), java.util.Map.entry("q", "~^a"));
        assertThat(matchErrors("{path: /, query: {\"\": a, b: false}}")).containsExactly(
                "routes[0].match.query.: empty parameter name (expected a name such as version)",
                "routes[0].match.query.b: false (expected an exact value, \"~regex\", or true or \"\" for presence)");
    }

    @Test
    void host() {
        assertThat(match("{path: /, host: API.Example.com}").host()).isEqualTo("api.example.com");
        assertThat(match("{path: /, host: \"*.example.com\"}").host()).isEqualTo("*.example.com");
        assertThat(match("{path: /}").host()).isNull();
        String expected = "(expected a host name such as api.example.com or *.example.com";
        assertThat(matchErrors("{path: /, host: \"example.com:8080\"}"))
                .containsExactly("routes[0].match.host: \"example.com:8080\" " + expected + ", without a port)");
        assertThat(matchErrors("{path: /, host: \"a.*.com\"}"))
                .containsExactly("routes[0].match.host: \"a.*.com\" " + expected + ")");
        assertThat(matchErrors("{path: /, host: \"*\"}"))
                .containsExactly("routes[0].match.host: \"*\" " + expected + ")");
    }
}
