package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A value of the YAML tree together with its path ({@code routes[1].match.path}) and the shared error list.
 * Typed readers report a problem and return the default when a value is absent or invalid, so binding goes
 * on and every problem is reported in one run. Numbers and booleans may also be written as strings, which
 * is what environment interpolation produces.
 */
final class Node {
    /** Stands in for a value whose problem was already reported; readers skip it silently. */
    static final JsonNode REPORTED = new POJONode("already reported");

    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern PERCENT = Pattern.compile("(-?\\d+)%?");

    private final JsonNode json; // null when absent
    /** Where this value is under its parent: a key, or (key null) an index; the parent is null at the root. */
    private final Node parent;
    private final String key;
    private final int index;
    private final List<String> errors;
    /**
     * Spelled out on first use only: binding reads every key of every route, and nearly all of them are valid, so
     * most paths are never needed (building each one eagerly was most of what binding allocated).
     */
    private String path;

    Node(JsonNode json, String path, List<String> errors) {
        this(json, null, null, -1, errors);
        this.path = Objects.requireNonNull(path, "path");
    }

    private Node(JsonNode json, Node parent, String key, int index, List<String> errors) {
        this.json = json;
        this.parent = parent;
        this.key = key;
        this.index = index;
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    static String childPath(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String elementPath(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** A node for a value from outside the tree (e.g. an environment variable), sharing the error list. */
    Node derived(JsonNode value, String valuePath) {
        return new Node(value, valuePath, errors);
    }

    String path() {
        if (path == null) {
            path = key != null ? childPath(parent.path(), key) : elementPath(parent.path(), index);
        }
        return path;
    }

    /** False when the key is absent or its value is null (an empty value in YAML). */
    boolean isPresent() {
        return json != null && !json.isNull();
    }

    boolean isMap() {
        return json != null && json.isObject();
    }

    boolean isList() {
        return json != null && json.isArray();
    }

    boolean isBoolean() {
        return json != null && json.isBoolean();
    }

    /** True for {@code true}/{@code false}, also written as strings (as {@code ${VAR:-false}} produces). */
    boolean isBooleanLike() {
        return isBoolean() || (json != null && json.isTextual()
                && (json.textValue().equals("true") || json.textValue().equals("false")));
    }

    void error(String message) {
        String where = path();
        errors.add((where.isEmpty() ? "(root)" : where) + ": " + message);
    }

    /** Reports this value as wrong: {@code path: "value" (expectation)}. */
    void invalid(String expectation) {
        error(describe() + " (" + expectation + ")");
    }

    void missing(String expectation) {
        error("missing (" + expectation + ")");
    }

    /** The value as it reads in an error: strings quoted, numbers bare, containers by kind. */
    String describe() {
        if (json == null || json.isNull()) {
            return "null";
        }
        if (json.isObject()) {
            return "a map";
        }
        if (json.isArray()) {
            return "a list";
        }
        return json.toString();
    }

    // ---- containers ----

    /**
     * Checks that this is a map whose keys are all in {@code allowedKeys}, reporting each unknown key.
     *
     * @return true when this is a map; false (after reporting, unless absent) otherwise
     */
    boolean expectMap(List<String> allowedKeys) {
        return expectMap(allowedKeys, Map.of());
    }

    /**
     * As {@link #expectMap(List)}, but a key of {@code renamed} (old name to new name) is reported as
     * {@code renamed to NEW}, which tells an upgrading user more than the list of keys would.
     */
    boolean expectMap(List<String> allowedKeys, Map<String, String> renamed) {
        if (!isMap()) {
            checkMap("expected a map with keys: " + String.join(", ", allowedKeys)); // reports, unless absent
            return false;
        }
        for (Map.Entry<String, JsonNode> e : json.properties()) {
            String newName = renamed.get(e.getKey());
            if (newName != null) {
                get(e.getKey()).error("renamed to " + newName);
            } else if (!allowedKeys.contains(e.getKey())) {
                get(e.getKey()).error("unknown key (expected one of: " + String.join(", ", allowedKeys) + ")");
            }
        }
        return true;
    }

    /** The entries of a map of arbitrary keys, in document order; empty (after reporting) when not a map. */
    Map<String, Node> entries(String expectation) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (checkMap(expectation)) {
            json.properties().forEach(e -> out.put(e.getKey(), get(e.getKey())));
        }
        return out;
    }

    /** The elements of a list; empty (after reporting) when present but not a list. */
    List<Node> elements(String expectation) {
        List<Node> out = new ArrayList<>();
        if (isList()) {
            for (int i = 0; i < json.size(); i++) {
                out.add(new Node(json.get(i), this, null, i, errors));
            }
        } else if (!nothingToRead()) {
            invalid(expectation);
        }
        return out;
    }

    /** A list of strings; bad elements (null included) are reported and left out. */
    List<String> strings(String expectation) {
        List<String> out = new ArrayList<>();
        for (Node element : elements(expectation)) {
            String text = element.item(expectation);
            if (text != null) {
                out.add(text);
            }
        }
        return out;
    }

    /**
     * A list element read as a string. An empty element ({@code - } or {@code null}) is an error, never skipped:
     * {@code auth.default: [null]} must not quietly mean "public".
     */
    String item(String expectation) {
        if (!isPresent()) {
            invalid(expectation);
            return null;
        }
        return string();
    }

    /** The value under {@code key}; absent when there is none or this is not a map. */
    Node get(String key) {
        JsonNode child = isMap() ? json.get(key) : null;
        return new Node(child, this, key, -1, errors);
    }

    private boolean checkMap(String expectation) {
        if (isMap()) {
            return true;
        }
        if (!nothingToRead()) {
            invalid(expectation);
        }
        return false;
    }

    /** Absent, null, or already reported: readers return their default without reporting anything. */
    private boolean nothingToRead() {
        return !isPresent() || json == REPORTED;
    }

    // ---- scalars ----

    /** A string; numbers are taken as written. Null when absent or invalid. */
    String string() {
        if (nothingToRead()) {
            return null;
        }
        if (json.isTextual() || json.isNumber()) {
            return json.asText();
        }
        invalid("expected a string");
        return null;
    }

    /** A string that must be present; reports {@code missing (expectation)} otherwise. */
    String requiredString(String expectation) {
        if (!isPresent()) {
            missing(expectation);
            return null;
        }
        return string();
    }

    boolean bool(boolean defaultValue) {
        if (nothingToRead()) {
            return defaultValue;
        }
        if (json.isBoolean()) {
            return json.booleanValue();
        }
        if (json.isTextual() && (json.textValue().equals("true") || json.textValue().equals("false"))) {
            return Boolean.parseBoolean(json.textValue());
        }
        invalid("expected true or false");
        return defaultValue;
    }

    int integer(int defaultValue, int min, int max) {
        Integer value = optionalInteger(min, max);
        return value == null ? defaultValue : value;
    }

    /** An integer from {@code min} up to {@link Integer#MAX_VALUE}. */
    int integerAtLeast(int defaultValue, int min) {
        Long value = optionalLong(min, Integer.MAX_VALUE, "at least " + min);
        return value == null ? defaultValue : value.intValue();
    }

    /** An integer in {@code min..max}; null when absent or invalid. */
    Integer optionalInteger(int min, int max) {
        Long value = optionalLong(min, max, min + ".." + max);
        return value == null ? null : value.intValue();
    }

    /** A whole percentage in {@code min..max}, written {@code 20%}, {@code "20%"} or {@code 20}. */
    int percent(int defaultValue, int min, int max) {
        if (nothingToRead()) {
            return defaultValue;
        }
        String range = min + ".." + max;
        Matcher m = json.isIntegralNumber() || json.isTextual() ? PERCENT.matcher(json.asText()) : null;
        if (m == null || !m.matches()) {
            invalid("expected a percentage such as 20%, " + range);
            return defaultValue;
        }
        BigInteger value = new BigInteger(m.group(1));
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            invalid("expected: " + range + "%");
            return defaultValue;
        }
        return value.intValue();
    }

    /** A byte size ({@link Sizes}) in {@code min..max}; a plain integer is a number of bytes. */
    long size(long defaultValue, long min, long max) {
        if (nothingToRead()) {
            return defaultValue;
        }
        String range = (max == Long.MAX_VALUE ? "at least " + min : min + ".." + max) + " bytes";
        if (json.isIntegralNumber() || (json.isTextual() && INTEGER.matcher(json.textValue()).matches())) {
            Long value = optionalLong(min, max, range);
            return value == null ? defaultValue : value;
        }
        Long value = parse(Sizes::parse, Sizes.EXPECTED);
        if (value != null && (value < min || value > max)) {
            invalid("expected: " + range);
            return defaultValue;
        }
        return value == null ? defaultValue : value;
    }

    /** A {@link Durations duration}, which must be above zero unless {@code allowZero}. */
    Duration duration(Duration defaultValue, boolean allowZero) {
        if (nothingToRead()) {
            return defaultValue;
        }
        if (json.isNumber()) {
            invalid(Durations.plainNumberExpectation(json.asText()));
            return defaultValue;
        }
        Duration d = parse(Durations::parse, Durations.EXPECTED);
        if (d != null && d.isZero() && !allowZero) {
            invalid("expected a duration greater than 0");
            return defaultValue;
        }
        return d == null ? defaultValue : d;
    }

    /**
     * Parses a scalar's text with {@code parser}, whose {@link IllegalArgumentException} message is the
     * expectation reported. A map, list or boolean is reported with {@code expectation}. Null when absent or
     * invalid.
     */
    <T> T parse(Function<String, T> parser, String expectation) {
        if (nothingToRead()) {
            return null;
        }
        if (json.isContainerNode() || json.isBoolean()) {
            invalid(expectation);
            return null;
        }
        try {
            return parser.apply(json.asText());
        } catch (IllegalArgumentException e) {
            invalid(e.getMessage());
            return null;
        }
    }

    /** {@code range} describes min..max in errors. */
    private Long optionalLong(long min, long max, String range) {
        if (nothingToRead()) {
            return null;
        }
        BigInteger value = null;
        if (json.isIntegralNumber()) {
            value = json.bigIntegerValue();
        } else if (json.isTextual() && INTEGER.matcher(json.textValue()).matches()) {
            value = new BigInteger(json.textValue());
        }
        if (value == null) {
            invalid("expected an integer, " + range);
            return null;
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            invalid("expected: " + range);
            return null;
        }
        return value.longValue();
    }
}
