package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads the plain subset of YAML that generated configs and most hand-written ones are written in, into the same
 * tree {@link YamlReader}'s SnakeYAML path builds, at a fraction of the cost (SnakeYAML and the JIT compiling it
 * were most of a cold start with 10,000 routes, docs/performance.md). Anything outside the subset, or anything
 * this reader is not certain to read exactly as SnakeYAML and Jackson do, makes {@link #read} return null, and the
 * caller reads the document the general way, which also reports every problem.
 *
 * <p>The subset: lines indented with spaces; block mappings whose keys are plain words; block sequences of
 * {@code - } items (a compact mapping may start on the item's line); flow mappings and sequences closed on their
 * line; comments on their own line or after a value; scalars that are double-quoted without escapes,
 * single-quoted without quotes inside, or plain and typed by SnakeYAML's resolver as a string, {@code true},
 * {@code false} or a decimal int of up to 9 digits. Not in it, among others: empty values, anchors, aliases, tags,
 * block scalars, multi-line scalars, document markers, directives, tabs, non-ASCII text, duplicate keys.
 */
final class PlainYaml {
    /** Deeper documents are left to the general path, which enforces {@link YamlReader#MAX_NESTING_DEPTH}. */
    private static final int MAX_DEPTH = 32;
    /** SnakeYAML's implicit types (YAML 1.1), as Jackson's YAML parser types a plain scalar. Only read. */
    private static final Resolver RESOLVER = new Resolver();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Unsupported UNSUPPORTED = new Unsupported();

    private final String text;
    /** Where each content line starts (its first non-space character) and ends (before its line break). */
    private final int[] starts;
    private final int[] ends;
    private final int[] indents;
    private final int lineCount;
    /** The current line, and where on it the next value starts (after a {@code - } it is not the indent). */
    private int line;
    private int pos;

    private PlainYaml(String text) {
        this.text = text;
        int capacity = 16;
        int[] s = new int[capacity];
        int[] e = new int[capacity];
        int[] in = new int[capacity];
        int count = 0;
        int at = 0;
        int length = text.length();
        while (at < length) {
            int end = text.indexOf('\n', at);
            end = end < 0 ? length : end;
            int first = at;
            while (first < end && text.charAt(first) == ' ') {
                first++;
            }
            if (first < end && text.charAt(first) != '#') {
                if (count == capacity) {
                    capacity *= 2;
                    s = Arrays.copyOf(s, capacity);
                    e = Arrays.copyOf(e, capacity);
                    in = Arrays.copyOf(in, capacity);
                }
                s[count] = first;
                e[count] = end;
                in[count] = first - at;
                count++;
            }
            at = end + 1;
        }
        this.starts = s;
        this.ends = e;
        this.indents = in;
        this.lineCount = count;
    }

    /** The document's tree, or null when it is not in the subset (then read it the general way). */
    static JsonNode read(String yaml) {
        if (!isPlainAscii(yaml)) {
            return null;
        }
        try {
            PlainYaml reader = new PlainYaml(yaml);
            if (reader.lineCount == 0 || reader.indents[0] != 0) {
                return null;
            }
            reader.pos = reader.starts[0];
            JsonNode root = reader.block(0, 1);
            return reader.line == reader.lineCount ? root : null;
        } catch (Unsupported e) {
            return null;
        }
    }

    /** Printable ASCII, spaces and line feeds only: no tabs, carriage returns, byte order mark or other text. */
    private static boolean isPlainAscii(String yaml) {
        for (int i = 0; i < yaml.length(); i++) {
            char c = yaml.charAt(i);
            if ((c < 0x20 && c != '\n') || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** The mapping or sequence starting at {@link #pos}, whose entries are at {@code column}. */
    private JsonNode block(int column, int depth) {
        check(depth <= MAX_DEPTH);
        return isItem(pos) ? sequence(column, depth) : mapping(column, depth);
    }

    private ObjectNode mapping(int column, int depth) {
        ObjectNode map = NODES.objectNode();
        while (true) {
            int keyEnd = wordEnd(pos);
            check(keyEnd > pos && keyEnd < ends[line] && text.charAt(keyEnd) == ':');
            String key = text.substring(pos, keyEnd);
            int after = skipSpaces(keyEnd + 1);
            JsonNode value;
            if (isLineRest(after)) {
                check(after == ends[line] || after > keyEnd + 1); // a comment follows a space
                line++;
                value = nested(column, depth);
            } else {
                check(after > keyEnd + 1); // "key:value" is one plain scalar
                value = inline(after, depth);
            }
            check(map.replace(key, value) == null);
            if (line == lineCount || indents[line] < column) {
                return map;
            }
            check(indents[line] == column && !isItem(starts[line]));
            pos = starts[line];
        }
    }

    /** The value of a key that ends its line: a block on the next lines, or a sequence at the key's column. */
    private JsonNode nested(int column, int depth) {
        check(line < lineCount);
        pos = starts[line];
        if (indents[line] > column) {
            return block(indents[line], depth + 1);
        }
        check(indents[line] == column && isItem(pos));
        return sequence(column, depth + 1);
    }

    private ArrayNode sequence(int column, int depth) {
        check(depth <= MAX_DEPTH);
        ArrayNode list = NODES.arrayNode();
        while (true) {
            int after = skipSpaces(pos + 1);
            check(after > pos + 1 && !isLineRest(after));
            int keyEnd = wordEnd(after);
            if (keyEnd > after && keyEnd < ends[line] && text.charAt(keyEnd) == ':'
                    && (keyEnd + 1 == ends[line] || text.charAt(keyEnd + 1) == ' ')) {
                pos = after;
                list.add(mapping(indents[line] + after - starts[line], depth + 1));
            } else {
                list.add(inline(after, depth));
            }
            if (line == lineCount || indents[line] < column) {
                return list;
            }
            if (indents[line] > column || !isItem(starts[line])) {
                return list; // the parent mapping goes on at this column, or finds the line out of place
            }
            pos = starts[line];
        }
    }

    /** A flow collection or scalar that ends its line (but for a comment); moves to the next line. */
    private JsonNode inline(int at, int depth) {
        JsonNode value;
        char c = text.charAt(at);
        pos = at;
        if (c == '{' || c == '[') {
            value = flow(depth + 1);
        } else if (c == '"' || c == '\'') {
            value = quoted();
        } else {
            value = plain(false);
        }
        int rest = skipSpaces(pos);
        check(rest == ends[line] || (rest > pos && text.charAt(rest) == '#'));
        line++;
        return value;
    }

    /** The flow mapping or sequence at {@link #pos}, closed on the same line. */
    private JsonNode flow(int depth) {
        check(depth <= MAX_DEPTH);
        boolean isMap = text.charAt(pos) == '{';
        char close = isMap ? '}' : ']';
        ObjectNode map = isMap ? NODES.objectNode() : null;
        ArrayNode list = isMap ? null : NODES.arrayNode();
        pos = skipSpaces(pos + 1);
        check(pos < ends[line]);
        if (text.charAt(pos) == close) {
            pos++;
            return isMap ? map : list;
        }
        while (true) {
            if (isMap) {
                int keyEnd = wordEnd(pos);
                check(keyEnd > pos && keyEnd + 1 < ends[line] && text.charAt(keyEnd) == ':'
                        && text.charAt(keyEnd + 1) == ' ');
                String key = text.substring(pos, keyEnd);
                pos = skipSpaces(keyEnd + 1);
                check(map.replace(key, flowValue(depth)) == null);
            } else {
                list.add(flowValue(depth));
            }
            pos = skipSpaces(pos);
            check(pos < ends[line]);
            char c = text.charAt(pos++);
            if (c == close) {
                return isMap ? map : list;
            }
            check(c == ',');
            pos = skipSpaces(pos);
            check(pos < ends[line] && text.charAt(pos) != close); // no trailing comma
        }
    }

    private JsonNode flowValue(int depth) {
        check(pos < ends[line]);
        char c = text.charAt(pos);
        if (c == '{' || c == '[') {
            return flow(depth + 1);
        }
        return c == '"' || c == '\'' ? quoted() : plain(true);
    }

    /** A non-empty quoted string at {@link #pos}, without escapes (double) or doubled quotes (single). */
    private JsonNode quoted() {
        char quote = text.charAt(pos);
        int close = text.indexOf(quote, pos + 1);
        check(close > pos + 1 && close < ends[line]);
        check(close + 1 == ends[line] || text.charAt(close + 1) != quote);
        String value = text.substring(pos + 1, close);
        check(quote == '\'' || value.indexOf('\\') < 0);
        pos = close + 1;
        return TextNode.valueOf(value);
    }

    /**
     * A plain scalar at {@link #pos}: in a block it ends before a comment or the line's end, in a flow before
     * {@code , ] }}; a {@code :} in it (but for a {@code :} not followed by a space, in a block) is left to
     * the general path, as are indicators that would start something else.
     */
    private JsonNode plain(boolean inFlow) {
        int start = pos;
        check("-?:,[]{}#&*!|>'\"%@`".indexOf(text.charAt(start)) < 0);
        int end = start;
        int limit = ends[line];
        while (end < limit) {
            char c = text.charAt(end);
            check(!inFlow || c != '?'); // SnakeYAML refuses some flow scalars with a '?' in them: left to it
            if (inFlow ? ",]}:#{[".indexOf(c) >= 0 : (c == ':' && (end + 1 == limit || text.charAt(end + 1) == ' '))
                    || (c == '#' && text.charAt(end - 1) == ' ')) {
                break;
            }
            end++;
        }
        check(end > start);
        int trimmed = end;
        while (text.charAt(trimmed - 1) == ' ') {
            trimmed--;
        }
        pos = trimmed;
        return scalar(text.substring(start, trimmed));
    }

    /** The value as Jackson's YAML parser reads a plain scalar, where that is a string, boolean or small int. */
    private static JsonNode scalar(String value) {
        Tag tag = RESOLVER.resolve(NodeId.scalar, value, true);
        if (tag.equals(Tag.STR)) {
            return TextNode.valueOf(value);
        }
        if (tag.equals(Tag.BOOL)) {
            check(value.equals("true") || value.equals("false"));
            return BooleanNode.valueOf(value.equals("true"));
        }
        check(tag.equals(Tag.INT) && value.length() <= 9 && (value.equals("0") || value.charAt(0) != '0'));
        for (int i = 0; i < value.length(); i++) {
            check(value.charAt(i) >= '0' && value.charAt(i) <= '9');
        }
        return IntNode.valueOf(Integer.parseInt(value));
    }

    /** After a key's first letter or underscore: letters, digits, {@code _} and {@code -}. */
    private int wordEnd(int at) {
        int end = at;
        int limit = ends[line];
        while (end < limit) {
            char c = text.charAt(end);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            if (!letter && (end == at || !((c >= '0' && c <= '9') || c == '-'))) {
                break;
            }
            end++;
        }
        return end;
    }

    private boolean isItem(int at) {
        return text.charAt(at) == '-' && (at + 1 == ends[line] || text.charAt(at + 1) == ' ');
    }

    private boolean isLineRest(int at) {
        return at == ends[line] || text.charAt(at) == '#';
    }

    private int skipSpaces(int at) {
        while (at < ends[line] && text.charAt(at) == ' ') {
            at++;
        }
        return at;
    }

    private static void check(boolean inSubset) {
        if (!inSubset) {
            throw UNSUPPORTED;
        }
    }

    /** Thrown, without a stack trace, to leave a document to the general path. */
    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }
}
