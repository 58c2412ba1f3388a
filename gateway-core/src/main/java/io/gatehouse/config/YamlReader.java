package io.gatehouse.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads one YAML document into a tree; syntax problems become a {@link ConfigException} naming line and column. */
final class YamlReader {
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL) // "key:" with no value is null, not ""
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS) // yes/no/on/off stay strings
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private YamlReader() {}

    /** The document's tree; {@link NullNode} for an empty document. */
    static JsonNode read(String yaml) {
        Objects.requireNonNull(yaml, "yaml");
        try (YAMLParser parser = FACTORY.createParser(yaml)) {
            JsonNode tree = MAPPER.readTree(new NoAliases(parser));
            if (parser.nextToken() != null) {
                throw new ConfigException("invalid YAML at line " + parser.currentLocation().getLineNr()
                        + ": a second document (expected a single YAML document, without ---)");
            }
            return tree == null ? NullNode.getInstance() : tree;
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from a String
        }
    }

    private static String describe(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark mark = yaml.getProblemMark();
            String context = yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")";
            return "invalid YAML at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": "
                    + yaml.getProblem() + context;
        }
        return "invalid YAML at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                + ": " + e.getOriginalMessage();
    }

    /** Jackson would read an alias such as {@code *defaults} as the plain string "defaults"; refuse it instead. */
    private static final class NoAliases extends JsonParserDelegate {
        NoAliases(YAMLParser parser) {
            super(parser);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = super.nextToken();
            if (((YAMLParser) delegate).isCurrentAlias()) {
                throw new JsonParseException(this,
                        "alias *" + getText() + " (expected plain values: anchors and aliases are not supported)");
            }
            return token;
        }
    }
}
