package io.gatehouse.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs Prometheus' {@code promtool} (Debian package {@code prometheus}; {@code ./test.sh} installs it). */
final class Promtool {
    private Promtool() {}

    /** Runs {@code promtool args...} and asserts it exits 0; returns its output (stdout and stderr). */
    static String succeeds(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("exit status of %s; output:%n%s", command, output).isZero();
        return output;
    }

    private static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("promtool not found on the PATH: install the Debian package prometheus"
                + " (./test.sh does when it is missing)");
    }
}
