package io.gatehouse.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@code --validate}: {@link Main#validate} on the repository's demo config and on broken copies of it. */
class ValidateCommandTest {
    /** Maven runs the tests with the module directory as the working directory. */
    static final Path DEMO_CONFIG = Path.of("..", "config.yml");

    @TempDir
    Path dir;

    /** What one run of {@link Main#validate} returned and printed. */
    record Outcome(int status, String out, String err) {}

    static Outcome validate(Path path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int status = Main.validate(path.toString(), outStream, errStream);
            return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** The demo config with {@code target} replaced by {@code replacement} (which must occur exactly once). */
    private Path demoConfigWith(String target, String replacement) throws IOException {
        String yaml = Files.readString(DEMO_CONFIG);
        assertThat(yaml).containsOnlyOnce(target);
        Path file = dir.resolve("broken.yml");
        Files.writeString(file, yaml.replace(target, replacement));
        return file;
    }

    @Test
    void theRepositoryDemoConfigIsValid() {
        assertThat(DEMO_CONFIG).as("run from the gateway-server module directory").isRegularFile();

        Outcome outcome = validate(DEMO_CONFIG);

        assertThat(outcome.err()).isEmpty();
        assertThat(outcome.out()).isEqualTo(DEMO_CONFIG + ": OK" + System.lineSeparator());
        assertThat(outcome.status()).isZero().isEqualTo(Main.EXIT_OK);
    }

    @Test
    void unknownPoolIsReportedWithItsPathAndTheKnownPools() throws IOException {
        Path file = demoConfigWith("    pool: users\n", "    pool: userz\n");

        Outcome outcome = validate(file);

        assertThat(outcome.status()).isEqualTo(Main.EXIT_INVALID);
        assertThat(outcome.out()).isEmpty();
        assertThat(outcome.err().lines())
                .first().isEqualTo("gatehouse: invalid configuration " + file + ":");
        assertThat(outcome.err())
                .contains("\n  routes[0].pool: unknown pool \"userz\" (expected one of: users");
    }

    @Test
    void unknownKeyIsReportedWithItsPath() throws IOException {
        Path file = demoConfigWith("  shutdown_grace: 10s\n", "  shutdown_grace: 10s\n  shutdown_grase: 5s\n");

        Outcome outcome = validate(file);

        assertThat(outcome.status()).isEqualTo(Main.EXIT_INVALID);
        assertThat(outcome.out()).isEmpty();
        assertThat(outcome.err()).startsWith("gatehouse: invalid configuration " + file + ":")
                .contains("\n  server.shutdown_grase: unknown key (expected one of: ")
                .contains("shutdown_grace");
    }

    @Test
    void everyErrorIsPrintedOnItsOwnIndentedLine() throws IOException {
        Path file = dir.resolve("two-errors.yml");
        Files.writeString(file, """
                server: {port: 70000, colour: blue}
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: "http://127.0.0.1:9"
                """);

        Outcome outcome = validate(file);

        assertThat(outcome.status()).isEqualTo(Main.EXIT_INVALID);
        assertThat(outcome.err().lines().skip(1))
                .hasSizeGreaterThanOrEqualTo(2)
                .allMatch(line -> line.startsWith("  ") && !line.startsWith("   "))
                .anyMatch(line -> line.startsWith("  server.port: "))
                .anyMatch(line -> line.startsWith("  server.colour: unknown key"));
    }

    @Test
    void missingFileIsInvalid() {
        Path missing = dir.resolve("does-not-exist.yml");

        Outcome outcome = validate(missing);

        assertThat(outcome.status()).isEqualTo(Main.EXIT_INVALID);
        assertThat(outcome.out()).isEmpty();
        assertThat(outcome.err()).startsWith("gatehouse: invalid configuration " + missing + ":")
                .contains("no such file");
    }

    @Test
    void emptyFileIsInvalid() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.yml"), "");

        Outcome outcome = validate(empty);

        assertThat(outcome.status()).isEqualTo(Main.EXIT_INVALID);
        assertThat(outcome.err()).contains("gatehouse: invalid configuration " + empty + ":");
    }

    // ---- hostile and broken files: one clean line each, quickly, never a stack trace ----

    /**
     * A generous bound for refusing a hostile file: a 10 MB line took 40 s before being refused, and deep nesting
     * ended in a NullPointerException.
     */
    private static final Duration QUICKLY = Duration.ofSeconds(3);

    /** Validates {@code yaml} and returns its one error line, asserting it is the only one and the file failed. */
    private String theOneError(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("hostile.yml"), yaml);

        Outcome outcome = assertTimeoutPreemptively(QUICKLY, () -> validate(file));

        assertThat(outcome.status()).isEqualTo(Main.EXIT_INVALID);
        assertThat(outcome.out()).isEmpty();
        List<String> lines = outcome.err().lines().toList();
        assertThat(lines).as("stderr").hasSize(2)
                .first().isEqualTo("gatehouse: invalid configuration " + file + ":");
        return lines.get(1);
    }

    @Test
    void tenThousandNestedBracketsGetOneCleanLine() throws IOException {
        String nested = "[".repeat(10_000) + "]".repeat(10_000);

        assertThat(theOneError("routes: " + nested + "\n")).isEqualTo("  " + dir.resolve("hostile.yml")
                + ":1:72: maps and lists nested more than 64 deep (expected at most 64 levels)");
    }

    @Test
    void tenThousandNestedBracesGetOneCleanLine() throws IOException {
        String nested = "{a: ".repeat(10_000) + "1" + "}".repeat(10_000);

        assertThat(theOneError("routes: " + nested + "\n")).isEqualTo("  " + dir.resolve("hostile.yml")
                + ":1:261: maps and lists nested more than 64 deep (expected at most 64 levels)");
    }

    @Test
    void aTenMegabyteLineIsRefusedQuickly() throws IOException {
        String line = "routes: " + "a".repeat(10 * 1024 * 1024) + "\n";

        assertThat(theOneError(line)).isEqualTo("  " + dir.resolve("hostile.yml") + ": " + line.length()
                + " bytes (expected a config file of at most 1 MiB)");
    }

    @Test
    void duplicateKeyNamesItsPathAndWhereItFirstAppeared() throws IOException {
        String yaml = """
                routes:
                  - id: users
                    match: {path_prefix: /users}
                    upstream: "http://127.0.0.1:9001"
                  - id: inventory
                    match:
                      path_prefix: /inventory
                      methods: [GET, HEAD]
                      path_prefix: /stock
                    upstream: "http://127.0.0.1:9002"
                """;

        assertThat(theOneError(yaml)).isEqualTo("  " + dir.resolve("hostile.yml")
                + ":9:7: routes[1].match: duplicate key \"path_prefix\" (first at line 7)");
    }

    @Test
    void unclosedBracketPointsWhereItWasOpened() throws IOException {
        String yaml = """
                server:
                  port: 8081
                  trusted_proxies: [127.0.0.1/32, 10.0.0.0/8
                  shutdown_grace: 10s
                routes: []
                """;

        assertThat(theOneError(yaml)).isEqualTo("  " + dir.resolve("hostile.yml")
                + ":3:20: unclosed '[' opened here (line 4, column 17: expected ',' or ']', but got :)");
    }

    /** "Billion laughs": nine levels of nine aliases each would stand for 9^9 strings if aliases were expanded. */
    @Test
    void aliasBombIsRefusedAtTheFirstAlias() throws IOException {
        StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            String previous = "*" + (char) (level - 1);
            bomb.append(level).append(": &").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, previous))).append("]\n");
        }

        assertThat(theOneError(bomb.toString())).isEqualTo("  " + dir.resolve("hostile.yml")
                + ":2:8: alias *a (expected plain values: anchors and aliases are not supported)");
    }
}
