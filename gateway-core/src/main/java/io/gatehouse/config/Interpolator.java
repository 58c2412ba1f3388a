package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in string values (not keys) with environment variables;
 * <code>$${</code> is a literal <code>${</code>. As in the shell, the default also applies when the variable is empty.
 * A value that cannot be interpolated is reported and replaced by {@link Node#REPORTED}.
 */
final class Interpolator {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String SYNTAX = "expected ${VAR} or ${VAR:-default}; write $${ for a literal ${";

    private final Map<String, String> env;
    private final List<String> errors;

    Interpolator(Map<String, String> env, List<String> errors) {
        this.env = Objects.requireNonNull(env, "env");
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    /**
     * {@code tree} with every string value interpolated: the very same nodes where there is nothing to replace (most
     * configurations have few or no {@code ${}}), copies only along the way to a replaced value.
     */
    JsonNode apply(JsonNode tree, String path) {
        return apply(tree, new Where(null, path, -1));
    }

    private JsonNode apply(JsonNode tree, Where where) {
        if (tree.isObject()) {
            ObjectNode copy = null;
            for (Map.Entry<String, JsonNode> e : tree.properties()) {
                JsonNode value = e.getValue();
                JsonNode applied = apply(value, new Where(where, e.getKey(), -1));
                if (applied != value && copy == null) {
                    copy = JsonNodeFactory.instance.objectNode().setAll((ObjectNode) tree); // shallow
                }
                if (copy != null) {
                    copy.set(e.getKey(), applied);
                }
            }
            return copy == null ? tree : copy;
        }
        if (tree.isArray()) {
            ArrayNode copy = null;
            for (int i = 0; i < tree.size(); i++) {
                JsonNode element = tree.get(i);
                JsonNode applied = apply(element, new Where(where, null, i));
                if (applied != element && copy == null) {
                    copy = JsonNodeFactory.instance.arrayNode().addAll((ArrayNode) tree); // shallow
                }
                if (copy != null) {
                    copy.set(i, applied);
                }
            }
            return copy == null ? tree : copy;
        }
        if (tree.isTextual() && tree.textValue().contains("${")) {
            return interpolate(tree, where.path());
        }
        return tree;
    }

    /** Where a value is, spelled out ({@code routes[3].pool}) only for a value that is interpolated. */
    private record Where(Where parent, String key, int index) {
        String path() {
            if (parent == null) {
                return key;
            }
            return key != null ? Node.childPath(parent.path(), key) : Node.elementPath(parent.path(), index);
        }
    }

    private JsonNode interpolate(JsonNode value, String path) {
        Node node = new Node(value, path, errors);
        String text = value.textValue();
        List<String> problems = new ArrayList<>();
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    problems.add(node.describe() + " has an unterminated ${ (" + SYNTAX + ")");
                    break;
                }
                String replacement = resolve(text.substring(i + 2, close), node, problems);
                if (replacement != null) {
                    out.append(replacement);
                }
                i = close + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        problems.forEach(node::error);
        return problems.isEmpty() ? TextNode.valueOf(out.toString()) : Node.REPORTED;
    }

    /** The value of one {@code NAME} or {@code NAME:-default} expression; null after adding a problem. */
    private String resolve(String expression, Node node, List<String> problems) {
        int sep = expression.indexOf(":-");
        String name = sep < 0 ? expression : expression.substring(0, sep);
        if (!NAME.matcher(name).matches()) {
            problems.add(node.describe() + " has an invalid variable name \"" + name + "\" (" + SYNTAX
                    + "; a name is letters, digits and _, not starting with a digit)");
            return null;
        }
        String value = env.get(name);
        if (sep >= 0 && (value == null || value.isEmpty())) {
            return expression.substring(sep + 2);
        }
        if (value == null) {
            problems.add("environment variable " + name + " is not set (expected it to be set, or a default as in ${"
                    + name + ":-value})");
        }
        return value;
    }
}
