package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** PlainYaml reads a document into exactly SnakeYAML's tree, or leaves it to SnakeYAML. */
class PlainYamlTest {
    /** Scalars near every edge of SnakeYAML's (YAML 1.1) implicit types and of the subset. */
    private static final List<String> SCALARS = List.of("abc", "a b", "a  b", "/svc/00001", "127.0.0.1", "1s", "250ms",
            "10MiB", "8KiB", "0", "7", "42", "123456789", "1234567890", "2147483648", "007", "-1", "+1", "0x1F",
            "0o17", "0b101", "1_000", "1:20", "1.5", "1e3", "1.0e+3", ".5", ".inf", "-.inf", ".nan", "true", "false",
            "True", "FALSE", "yes", "no", "on", "off", "y", "n", "Y", "null", "Null", "~", "2026-12-03",
            "2026-12-03T00:00:00Z", "\"quoted\"", "'single'", "\"\"", "''", "\"a\\\"b\"", "'it''s'", "\"123\"",
            "'true'", "\"a: b\"", "\"#x\"", "http://127.0.0.1:9001", "\"http://127.0.0.1:9001\"", "${VAR}",
            "${VAR:-x}", "\"${VAR:-9001}\"", "a#b", "a #b", "a:b", "a: b", "a:", "-a", "?a", "*a", "&a b", "!a",
            "!!str 1", "|", ">", "%a", "@a", "`a", "[a, b]", "[a,b]", "[]", "{}", "{a: 1}", "{a: 1,}", "{a:1}",
            "{a: b: c}", "[a, [b, {c: d}]]", "{a: \"x\", b: 'y', c: 3}", "a, b", "a]", "a}", "GET, POST",
            "[GET, POST]", "[502, 503]", "{a: 1s}", "{a: -1}", "{a: ~}", "{a: }", "{a: [1, 2], b: {c: true}}",
            "é", "a\tb");

    @Test
    void everyScalarAndCollectionReadsAsSnakeYamlReadsIt() {
        for (String scalar : SCALARS) {
            for (String doc : List.of("k: " + scalar + "\n", "k: {v: " + scalar + "}\n", "k: [" + scalar + "]\n",
                    "k:\n  - " + scalar + "\n", "k:\n- " + scalar + "\n", "k: " + scalar + "   # note\n",
                    "k: " + scalar + "\nm: 1\n")) {
                assertSameTree(doc);
            }
        }
    }

    @Test
    void layoutsReadAsSnakeYamlReadsThem() {
        List<String> docs = List.of(
                "a: 1\nb:\n  c: 2\n  d:\n    - x\n    - y\ne: z\n",
                "# head\n\na: 1   # one\n\n  # indented comment\nb: 2\n",
                "routes:\n  - id: r1\n    upstream: http://a:1\n  - id: r2\n    match: {path: /x}\n",
                "routes:\n- id: r1\n  upstream: http://a:1\n- id: r2\nnext: 1\n",
                "a:\n  - - x\n    - y\n",
                "a:\n  - b:\n      c: 1\n    d: 2\n",
                "a: 1\na: 2\n",
                "a: {b: 1, b: 2}\n",
                "a: 1\n  b: 2\n",
                "a: b\n  c\n",
                "a:\n",
                "a:\nb: 1\n",
                "- a\n- b\n",
                "a\n",
                "",
                "# only a comment\n",
                "---\na: 1\n",
                "a: 1\n---\nb: 2\n",
                "a: 1\n...\n",
                "a: &x 1\nb: *x\n",
                "a: |\n  text\n",
                "a: \"multi\n  line\"\n",
                "a: [1,\n  2]\n",
                "a: 1\r\nb: 2\r\n",
                "\ufeffa: 1\n",
                "a:\n\tb: 1\n",
                "a: 1 # c\n#c\n b: 1\n",
                "a:   \n  b: 1\n",
                "a:# c\n  b: 1\n",
                "a: # c\n  b: 1\n",
                "key-with-dash: 1\n_under: 2\nx9: 3\n",
                "9a: 1\n",
                "\"quoted key\": 1\n",
                "a b: 1\n",
                "? a\n: 1\n",
                "a: -\n",
                "a:\n  -\n    b: 1\n",
                "a: x\n   \n",
                "  a: 1\n",
                "a: 1\n b: 2\n",
                "true: 1\nnull: 2\nyes: 3\non: [a]\ny: 4\nNo: 5\n",
                "a: <\nb: =\nc: <<\nd: .hidden\ne: 1 2\nf: a:\ng: a # b: c\n",
                "a : 1\n",
                "a: 1\nb:\n  - c: 1\n   d: 2\n",
                "k:\n- a: 1\n b: 2\n",
                "k:\n  - a\n  - b\n  c: 1\n");
        docs.forEach(PlainYamlTest::assertSameTree);
    }

    @Test
    void nestingIsLeftToTheGeneralPathBeforeItsLimit() {
        String deep = "a: " + "[".repeat(40) + "]".repeat(40) + "\n";
        assertThat(PlainYaml.read(deep)).isNull();
        assertSameTree("a: " + "[".repeat(20) + "]".repeat(20) + "\n");
    }

    @Test
    void readsAGeneratedConfigAndTheRepositorysConfigs() throws IOException {
        StringBuilder generated = new StringBuilder("server: {host: 127.0.0.1, port: 19311, shutdown_grace: 1s}\nroutes:\n");
        for (int i = 0; i < 300; i++) {
            generated.append(String.format("  - {id: r%05d, match: {path_prefix: /svc/%05d}, upstream: \"http://127.0.%d.%d:9001\"}%n",
                    i, i, i / 250, i % 250 + 1));
        }
        assertThat(PlainYaml.read(generated.toString())).isNotNull();
        assertSameTree(generated.toString());
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("", "bench", "docker", "deploy", "gateway-core/src/test/resources/config",
                "gateway-server/src/main/resources/io/gatehouse/server")) {
            try (Stream<Path> listed = Files.list(root.resolve(dir))) {
                listed.filter(p -> p.toString().endsWith(".yml")).forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(5);
        for (Path file : files) {
            assertSameTree(Files.readString(file));
        }
        assertThat(PlainYaml.read(Files.readString(root.resolve("config.yml")))).isNotNull();
    }

    /** Either PlainYaml leaves the document to SnakeYAML, or both read it into equal trees. */
    private static void assertSameTree(String doc) {
        JsonNode plain = PlainYaml.read(doc);
        if (plain == null) {
            return;
        }
        JsonNode general;
        try {
            general = YamlReader.readGeneral(doc, "doc");
        } catch (ConfigException e) {
            throw new AssertionError("PlainYaml read a document SnakeYAML rejects: " + doc + "\n" + e.getMessage(), e);
        }
        assertThat(plain).as("tree of %s", doc).isEqualTo(general);
        assertThat(plain.toString()).as("text of %s", doc).isEqualTo(general.toString());
    }
}
