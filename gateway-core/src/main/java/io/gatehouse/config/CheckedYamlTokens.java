package io.gatehouse.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document's tokens, refusing what Jackson would let through or report poorly: an alias (Jackson reads
 * {@code *defaults} as the plain string "defaults") and a key written twice in one map, reported with the map's
 * path and where the key first appeared. Jackson's own duplicate detection names neither.
 */
final class CheckedYamlTokens extends JsonParserDelegate {
    /** For each map being read, innermost first: its keys and where each was written. */
    private final Deque<Map<String, JsonLocation>> openMaps = new ArrayDeque<>();

    CheckedYamlTokens(YAMLParser parser) {
        super(parser);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken token = super.nextToken();
        if (((YAMLParser) delegate).isCurrentAlias()) {
            throw refused("alias *" + getText() + " (expected plain values: anchors and aliases are not supported)");
        }
        if (token == JsonToken.START_OBJECT) {
            openMaps.push(new HashMap<>());
        } else if (token == JsonToken.END_OBJECT) {
            openMaps.pop();
        } else if (token == JsonToken.FIELD_NAME) {
            JsonLocation first = openMaps.element().putIfAbsent(currentName(), currentTokenLocation());
            if (first != null) {
                throw refused(YamlProblems.pathOf(getParsingContext()) + ": duplicate key \"" + currentName() + "\" ("
                        + YamlProblems.firstAt(first, currentTokenLocation()) + ")");
            }
        }
        return token;
    }

    /** The delegate's would skip {@link #nextToken()} and its checks. */
    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken token = nextToken();
        return token == JsonToken.FIELD_NAME ? nextToken() : token;
    }

    private JsonParseException refused(String message) {
        return new JsonParseException(this, message, currentTokenLocation());
    }
}
