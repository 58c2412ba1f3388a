package io.gatehouse.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

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
            int status = Main.validate(path, outStream, errStream);
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
}
