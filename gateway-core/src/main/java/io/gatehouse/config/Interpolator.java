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

    /** A copy of {@code tree} with every string value interpolated. */
    JsonNode apply(JsonNode tree, String path) {
        if (tree.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            tree.properties().forEach(e -> out.set(e.getKey(), apply(e.getValue(), Node.childPath(path, e.getKey()))));
            return out;
        }
        if (tree.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < tree.size(); i++) {
                out.add(apply(tree.get(i), Node.elementPath(path, i)));
            }
            return out;
        }
        if (tree.isTextual() && tree.textValue().contains("${")) {
            return interpolate(tree, path);
        }
        return tree;
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
