package io.gatehouse.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Binds {@code routes[i].match}. */
final class MatchSection {
    private static final List<String> PATH_KEYS = List.of("path", "path_prefix", "path_template", "path_regex");
    private static final List<String> KEYS =
            List.of("path", "path_prefix", "path_template", "path_regex", "methods", "headers", "query", "host");
    private static final String ONE_PATH = "expected exactly one of: " + String.join(", ", PATH_KEYS);
    private static final String PATH_EXPECTED = "expected a path starting with /";
    private static final String METHOD_EXPECTED = "expected an HTTP method token such as GET";
    private static final String VALUE_EXPECTED = "expected an exact value, \"~regex\", or true or \"\" for presence";
    private static final String HOST_EXPECTED = "expected a host name such as api.example.com or *.example.com";

    private MatchSection() {}

    /** The match, or null after reporting problems. */
    static MatchConfig bind(Node match) {
        if (!match.isPresent()) {
            match.missing("expected a map with exactly one of: " + String.join(", ", PATH_KEYS));
            return null;
        }
        if (!match.expectMap(KEYS)) {
            return null;
        }
        List<String> pathKeys = PATH_KEYS.stream().filter(k -> match.get(k).isPresent()).toList();
        if (pathKeys.isEmpty()) {
            match.error("no path to match (" + ONE_PATH + ")");
        } else if (pathKeys.size() > 1) {
            match.error("several paths set: " + String.join(", ", pathKeys) + " (" + ONE_PATH + ")");
        }
        String path = match.get("path").parse(MatchSection::absolutePath, PATH_EXPECTED);
        String prefix = match.get("path_prefix").parse(MatchSection::prefix, PATH_EXPECTED);
        String template = match.get("path_template").parse(PathTemplates::validate, PATH_EXPECTED);
        String regex = match.get("path_regex").parse(MatchSection::regex, Regexes.EXPECTED);
        List<String> methods = methods(match.get("methods"));
        Map<String, String> headers = headers(match.get("headers"));
        Map<String, String> query = query(match.get("query"));
        String host = match.get("host").parse(MatchSection::host, HOST_EXPECTED);
        boolean pathBound = path != null || prefix != null || template != null || regex != null;
        return pathKeys.size() == 1 && pathBound
                ? new MatchConfig(path, prefix, template, regex, methods, headers, query, host)
                : null;
    }

    private static String absolutePath(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException(PATH_EXPECTED);
        }
        return text;
    }

    /** A trailing slash is dropped: {@code /users/} matches like {@code /users}; {@code /} stays. */
    private static String prefix(String text) {
        String s = absolutePath(text);
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static String regex(String text) {
        Regexes.compile(text);
        return text;
    }

    private static List<String> methods(Node list) {
        Set<String> methods = new LinkedHashSet<>();
        for (Node element : list.elements("expected a list of HTTP methods such as [GET, POST]")) {
            String method = element.parse(MatchSection::method, METHOD_EXPECTED);
            if (method != null) {
                methods.add(method);
            }
        }
        return new ArrayList<>(methods);
    }

    private static String method(String text) {
        if (!HttpTokens.isToken(text)) {
            throw new IllegalArgumentException(METHOD_EXPECTED);
        }
        String method = text.toUpperCase(Locale.ROOT);
        if (method.equals("CONNECT")) {
            throw new IllegalArgumentException("expected a method the gateway proxies; CONNECT opens a tunnel,"
                    + " which it never does");
        }
        return method;
    }

    /** {@code headers}: names must be tokens and are lower-cased, so {@code X-A} and {@code x-a} clash. */
    private static Map<String, String> headers(Node map) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> firstPath = new HashMap<>();
        map.entries("expected a map of header name to value").forEach((name, value) -> {
            String key = name.toLowerCase(Locale.ROOT);
            if (!HttpTokens.isToken(name)) {
                value.error("invalid header name (expected a token such as x-api-version)");
            }
            String previous = firstPath.putIfAbsent(key, value.path());
            if (previous != null) {
                value.error("repeated header (expected each header once, in any letter case; also " + previous + ")");
            }
            putMatchValue(out, key, value);
        });
        return out;
    }

    /** {@code query}: names are kept as written. */
    private static Map<String, String> query(Node map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.entries("expected a map of parameter name to value").forEach((name, value) -> {
            if (name.isEmpty()) {
                value.error("empty parameter name (expected a name such as version)");
            }
            putMatchValue(out, name, value);
        });
        return out;
    }

    /** {@code true} means presence and is stored as {@code ""}; nothing is put after reporting a problem. */
    private static void putMatchValue(Map<String, String> out, String name, Node value) {
        if (value.isBoolean() && value.bool(false)) {
            out.put(name, "");
        } else if (!value.isPresent() || value.isBoolean()) {
            value.invalid(VALUE_EXPECTED);
        } else {
            String expected = value.parse(MatchSection::exactOrRegex, VALUE_EXPECTED);
            if (expected != null) {
                out.put(name, expected);
            }
        }
    }

    private static String exactOrRegex(String text) {
        if (text.startsWith("~")) {
            Regexes.compile(text.substring(1));
        }
        return text;
    }

    /** Lower-cased; {@code *.example.com} matches any name ending in {@code .example.com}. */
    private static String host(String text) {
        String host = text.toLowerCase(Locale.ROOT);
        if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException(HOST_EXPECTED + ", without a port");
        }
        String name = host.startsWith("*.") ? host.substring(2) : host;
        if (!Hosts.isName(name)) {
            throw new IllegalArgumentException(HOST_EXPECTED);
        }
        return host;
    }
}
