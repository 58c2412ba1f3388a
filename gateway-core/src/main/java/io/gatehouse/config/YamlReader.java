package io.gatehouse.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Reads one YAML document into a tree. Every problem, hostile input included, becomes a {@link ConfigException}
 * with one line {@code source:line:column: message} (see {@link YamlProblems}), never another exception.
 *
 * <p>Hostile input is bounded: the document's size (checked here, before parsing), its nesting depth (Jackson's
 * {@link StreamReadConstraints}), aliases and duplicate keys ({@link CheckedYamlTokens}). Aliases are refused
 * outright, so an alias bomb ("billion laughs") costs nothing; Jackson never expands aliases anyway.
 *
 * <p>A document in the plain subset {@link PlainYaml} reads (a generated config, most hand-written ones) is read by
 * it into the same tree, much faster; any other goes through SnakeYAML.
 */
public final class YamlReader {
    /**
     * 1 MiB: the bytes of a config file, the characters of a config string. Larger documents are refused before
     * parsing. SnakeYAML checks its own code point limit only between tokens, and scanning one token takes time
     * quadratic in the token's length (its reader copies its whole window again for each 1 KiB it reads): 40 s for
     * a 10 MB line. Within this bound the worst token takes well under a second, and the bound is far above any
     * hand-written config (the demo's is 2 KiB).
     */
    static final int MAX_DOCUMENT_SIZE = 1024 * 1024;
    /** Maps and lists inside each other; a real config nests about 6 deep. Jackson's default is 1,000. */
    static final int MAX_NESTING_DEPTH = 64;

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL) // "key:" with no value is null, not ""
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS) // yes/no/on/off stay strings
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private YamlReader() {}

    /**
     * The document's tree; {@link NullNode} for an empty document.
     *
     * @param source what errors name as the document, e.g. the file's path
     */
    public static JsonNode read(String yaml, String source) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(source, "source");
        if (yaml.length() > MAX_DOCUMENT_SIZE) {
            throw new ConfigException(source + ": " + yaml.length() + " characters (expected a config of at most 1 MiB)");
        }
        JsonNode plain = PlainYaml.read(yaml);
        return plain != null ? plain : readGeneral(yaml, source);
    }

    /** Any document, with SnakeYAML through Jackson; every problem is reported here. */
    static JsonNode readGeneral(String yaml, String source) {
        YamlProblems problems = new YamlProblems(source, yaml);
        try (YAMLParser parser = FACTORY.createParser(yaml)) {
            try {
                JsonNode tree = MAPPER.readTree(new CheckedYamlTokens(parser));
                if (parser.nextToken() != null) {
                    throw new ConfigException(problems.at(parser.currentTokenLocation(),
                            "a second document (expected a single YAML document, without ---)"));
                }
                return tree == null ? NullNode.getInstance() : tree;
            } catch (JsonProcessingException e) {
                throw new ConfigException(problems.describe(e, parser));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // opening or closing a parser on a String
        }
    }
}
