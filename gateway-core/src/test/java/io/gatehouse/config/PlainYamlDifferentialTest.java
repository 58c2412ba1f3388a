package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random documents in and around PlainYaml's subset: each one PlainYaml reads must read exactly as SnakeYAML reads
 * it, and one SnakeYAML refuses must not be read by PlainYaml either. Seeded, so a failure repeats; the seed and
 * the document are in the message.
 */
class PlainYamlDifferentialTest {
    private static final int DOCUMENTS = 20_000;
    private static final List<String> TAME_KEYS = List.of("id", "path_prefix", "a", "b", "route-1", "x_y", "k9", "a.b",
            "pool", "match", "upstream", "limit");
    private static final List<String> ODD_KEYS = List.of("a b", "a:b", "-x", "?x", "'q'", "\"q\"", "1", "true", "~",
            "null", "a#b", "é", "on", "<<", "[a]", "{a}", "&a", "*a", "!a", "%a", "@a", "`a", "a\tb");
    private static final List<String> WORDS = List.of("abc", "/svc/00001", "127.0.0.1", "1s", "250ms", "0", "42",
            "123456789", "1234567890", "007", "-1", "+1", "0x1F", "1_000", "1:20", "1.5", ".inf", "true", "false",
            "yes", "No", "off", "y", "null", "~", "2026-12-03", "http://127.0.0.1:9001", "${VAR:-x}", "GET", "a b",
            "a  b", "a:b", "a#b", "-", "-a", "*a", "&a", "!a", "|", ">", "%a", "@a", "`a", "=", "<<", "é", "a\\b",
            "12345678", "-5", "3.0", "TRUE", "Off", "NULL", "0.", "1e5", "0o7", "0b1", "+.5", "1__0", "2001:db8::1");
    private static final List<String> TAME_WORDS = List.of("abc", "/svc/00001", "127.0.0.1", "1s", "250ms", "0", "42",
            "true", "false", "http://127.0.0.1:9001", "GET", "a b", "x-y", "API_KEY");
    private static final String ODD_CHARS = " :#,[]{}'\"-?&*!|>%@`\\\t~=";

    @Test
    void plainYamlReadsEveryRandomDocumentAsSnakeYamlDoesOrLeavesItToSnakeYaml() {
        long seed = 20261203L;
        Random random = new Random(seed);
        int readByPlain = 0;
        List<String> differences = new java.util.ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            String doc = new Generator(random).document();
            JsonNode general;
            try {
                general = YamlReader.readGeneral(doc, "fuzz");
            } catch (RuntimeException refused) {
                general = null;
            }
            JsonNode plain;
            try {
                plain = PlainYaml.read(doc);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " #" + i + ": PlainYaml threw on\n" + doc, e);
            }
            if (plain == null) {
                continue;
            }
            readByPlain++;
            if (!plain.equals(general)) {
                differences.add("#" + i + (general == null ? " SnakeYAML refuses, PlainYaml reads " + plain
                        : " SnakeYAML " + general + ", PlainYaml " + plain) + ":\n" + doc);
            }
        }
        assertThat(differences).as("seed %d", seed).isEmpty();
        // The generator must keep exercising the subset, or this test proves nothing.
        assertThat(readByPlain).isGreaterThan(DOCUMENTS / 10);
    }

    private static final class Generator {
        private final Random random;
        private final StringBuilder out = new StringBuilder();
        private final String newline;
        /** Mostly keys and words a config has, else anything: half the documents each. */
        private final boolean tame;

        Generator(Random random) {
            this.random = random;
            this.tame = random.nextBoolean();
            this.newline = random.nextInt(20) == 0 ? "\r\n" : "\n";
        }

        String document() {
            if (random.nextInt(10) == 0) {
                comment(0);
            }
            blockMapping(0, 0);
            return out.toString();
        }

        private void blockMapping(int indent, int depth) {
            int entries = 1 + random.nextInt(4);
            java.util.Set<String> used = new java.util.HashSet<>();
            for (int e = 0; e < entries; e++) {
                String key = key();
                if (!used.add(key) && random.nextInt(10) != 0) {
                    continue; // mostly no duplicate keys: SnakeYAML refuses those
                }
                line(indent, key + ":");
                value(indent, depth);
            }
        }

        /** Finishes the current "key:" line with a value: inline, or a nested block on the next lines. */
        private void value(int indent, int depth) {
            int kind = depth > 3 ? random.nextInt(3) : random.nextInt(6);
            switch (kind) {
                case 0, 1 -> out.append(' ').append(scalar());
                case 2 -> out.append(' ').append(random.nextBoolean() ? flowMapping(depth) : flowSequence(depth));
                case 3 -> {
                    endLine();
                    blockMapping(indent + indentStep(), depth + 1);
                    return;
                }
                default -> {
                    endLine();
                    blockSequence(random.nextBoolean() ? indent : indent + indentStep(), depth + 1);
                    return;
                }
            }
            endLine();
        }

        private void blockSequence(int indent, int depth) {
            int items = 1 + random.nextInt(3);
            for (int i = 0; i < items; i++) {
                if (depth < 4 && random.nextInt(3) == 0) {
                    // a compact mapping starting on the item's line
                    line(indent, "- " + key() + ":");
                    value(indent + 2, depth + 1);
                    if (random.nextBoolean()) {
                        line(indent + 2, key() + ":");
                        value(indent + 2, depth + 1);
                    }
                } else {
                    line(indent, "- " + (random.nextInt(4) == 0 ? flowMapping(depth) : scalar()));
                    endLine();
                }
            }
        }

        private String flowMapping(int depth) {
            StringBuilder flow = new StringBuilder("{");
            int entries = random.nextInt(4);
            for (int e = 0; e < entries; e++) {
                flow.append(e == 0 ? "" : random.nextBoolean() ? ", " : ",").append(key()).append(": ")
                        .append(depth < 3 && random.nextInt(5) == 0 ? flowSequence(depth + 1) : scalar());
            }
            if (random.nextInt(15) == 0) {
                flow.append(',');
            }
            return flow.append('}').toString();
        }

        private String flowSequence(int depth) {
            StringBuilder flow = new StringBuilder("[");
            int items = random.nextInt(4);
            for (int i = 0; i < items; i++) {
                flow.append(i == 0 ? "" : ", ")
                        .append(depth < 3 && random.nextInt(5) == 0 ? flowMapping(depth + 1) : scalar());
            }
            return flow.append(']').toString();
        }

        private String key() {
            List<String> keys = !tame && random.nextInt(4) == 0 ? ODD_KEYS : TAME_KEYS;
            return keys.get(random.nextInt(keys.size()));
        }

        private String scalar() {
            String word = tame ? (random.nextInt(10) == 0 ? WORDS.get(random.nextInt(WORDS.size()))
                    : TAME_WORDS.get(random.nextInt(TAME_WORDS.size())))
                    : random.nextInt(4) == 0 ? randomText() : WORDS.get(random.nextInt(WORDS.size()));
            return switch (random.nextInt(6)) {
                case 0 -> '"' + word + '"';
                case 1 -> '\'' + word + '\'';
                default -> word;
            };
        }

        private String randomText() {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(6);
            for (int i = 0; i < length; i++) {
                text.append(random.nextInt(3) == 0 ? ODD_CHARS.charAt(random.nextInt(ODD_CHARS.length()))
                        : (char) ('a' + random.nextInt(26)));
            }
            return text.toString();
        }

        private int indentStep() {
            return random.nextInt(8) == 0 ? 4 : 2;
        }

        private void line(int indent, String text) {
            out.append(" ".repeat(indent)).append(text);
        }

        private void endLine() {
            if (random.nextInt(12) == 0) {
                out.append(random.nextBoolean() ? "   # note" : " #c");
            }
            if (random.nextInt(25) == 0) {
                out.append("  ");
            }
            out.append(newline);
            if (random.nextInt(15) == 0) {
                comment(random.nextInt(4));
            }
            if (random.nextInt(20) == 0) {
                out.append(newline);
            }
        }

        private void comment(int indent) {
            out.append(" ".repeat(indent)).append("# comment").append(newline);
        }
    }
}
