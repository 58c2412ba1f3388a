package io.gatehouse.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Words what the YAML parser refused in one document as one stable line, {@code source:line:column: message}, e.g.
 * {@code config.yml:3:9: unclosed '[' opened here (...)} or
 * {@code config.yml:12:3: routes[2].match: duplicate key "path_prefix" (first at line 10)}.
 */
final class YamlProblems {
    private static final String OPENERS = "[{\"'";

    private final String source;
    private final String text;

    /**
     * @param source what errors name as the document, e.g. the file's path
     * @param text   the document
     */
    YamlProblems(String source, String text) {
        this.source = source;
        this.text = text;
    }

    /** {@code source:line:column: message}; just {@code source: message} when the position is unknown. */
    String at(JsonLocation location, String message) {
        return location == null ? at(0, 0, message) : at(location.getLineNr(), location.getColumnNr(), message);
    }

    /**
     * @param parser the parser that threw, for the position when the exception carries none: for nesting too deep,
     *               the innermost map or list allowed, which holds the one too many
     */
    String describe(JsonProcessingException e, JsonParser parser) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            return describe(yaml);
        }
        if (e.getCause() instanceof ReaderException unreadable) {
            return describe(unreadable);
        }
        JsonLocation location = e.getLocation() != null ? e.getLocation() : parser.currentTokenLocation();
        if (e instanceof StreamConstraintsException
                && parser.getParsingContext().getNestingDepth() >= YamlReader.MAX_NESTING_DEPTH) {
            return at(location, "maps and lists nested more than " + YamlReader.MAX_NESTING_DEPTH
                    + " deep (expected at most " + YamlReader.MAX_NESTING_DEPTH + " levels)");
        }
        return at(location, e.getOriginalMessage());
    }

    /**
     * A flow collection or quoted string that does not end where it should is reported where it was opened, which
     * is where the mistake usually is; the parser only notices lines later.
     */
    private String describe(MarkedYAMLException e) {
        Mark problem = e.getProblemMark();
        Mark context = e.getContextMark();
        String opener = context == null ? null : openerAt(context);
        if (opener != null) {
            return at(context, "unclosed " + opener + " opened here (" + lineAndColumn(problem) + ": "
                    + e.getProblem() + ")");
        }
        String where = e.getContext() == null ? ""
                : context == null ? " (" + e.getContext() + ")"
                : " (" + e.getContext() + " at " + lineAndColumn(context) + ")";
        return at(problem, "invalid YAML: " + e.getProblem() + where);
    }

    /** A control character or the like, which SnakeYAML reports by its offset in code points. */
    private String describe(ReaderException e) {
        int codePoints = text.codePointCount(0, text.length());
        int offset = text.offsetByCodePoints(0, Math.max(0, Math.min(e.getPosition(), codePoints)));
        int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
        int line = 1 + (int) text.chars().limit(lineStart).filter(c -> c == '\n').count();
        return at(line, offset - lineStart + 1, "invalid YAML: character U+"
                + String.format(Locale.ROOT, "%04X", e.getCodePoint()) + " is not allowed");
    }

    /** @param line 1-based, or below 1 when unknown */
    private String at(int line, int column, String message) {
        String oneLine = message == null ? "unreadable" : message.replace('\n', ' ');
        return line < 1 ? source + ": " + oneLine : source + ":" + line + ":" + column + ": " + oneLine;
    }

    private String at(Mark mark, String message) {
        return at(mark.getLine() + 1, mark.getColumn() + 1, message);
    }

    /** The bracket or quote at {@code mark} in quotes ({@code '['}, {@code "'"}), or null when it is something else. */
    private static String openerAt(Mark mark) {
        int[] buffer = mark.getBuffer();
        int pointer = mark.getPointer();
        if (buffer == null || pointer < 0 || pointer >= buffer.length) {
            return null;
        }
        String character = Character.toString(buffer[pointer]);
        if (!OPENERS.contains(character)) {
            return null;
        }
        return character.equals("'") ? "\"'\"" : "'" + character + "'";
    }

    private static String lineAndColumn(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /** E.g. {@code first at line 10}, or {@code first at column 4} within one line. */
    static String firstAt(JsonLocation first, JsonLocation again) {
        return first.getLineNr() == again.getLineNr()
                ? "first at column " + first.getColumnNr()
                : "first at line " + first.getLineNr();
    }

    /** The config path ({@code routes[2].match}, as {@link Node} writes it) of the map or list {@code context} reads. */
    static String pathOf(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c.getParent() != null; c = c.getParent()) {
            JsonStreamContext parent = c.getParent();
            if (parent.inArray()) {
                parts.addFirst("[" + parent.getCurrentIndex() + "]");
            } else if (parent.inObject()) {
                parts.addFirst((parent.getParent().inRoot() ? "" : ".") + parent.getCurrentName());
            }
        }
        return parts.isEmpty() ? "(root)" : String.join("", parts);
    }
}
