package io.gatehouse.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the real command-line entry point in a child JVM. */
class SampleServicesMainTest {

    private static final Pattern STARTUP = Pattern.compile("users service \"users-9\" listening on (\\d+)");

    @Test
    void badArgumentsPrintUsageAndExit2() throws Exception {
        Process process = launch("bogus", "--port", "1");

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("unknown subcommand", "usage: java -jar sample-services.jar <users|inventory>");
    }

    @Test
    void aTakenPortIsNamedAndExits1WithoutAStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Process process = launch("users", "--port", String.valueOf(port), "--name", "users-9");

            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(
                    "error: cannot start users service \"users-9\": cannot listen on 0.0.0.0:" + port
                            + ": address already in use" + System.lineSeparator());
        }
    }

    @Test
    void logsOneStartupLineServesAndStopsOnSigterm() throws Exception {
        Process process = launch("users", "--port", "0", "--name", "users-9");
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = stdout.readLine();
            assertThat(line).matches(STARTUP);
            Matcher matcher = STARTUP.matcher(line);
            assertThat(matcher.matches()).isTrue();
            int port = Integer.parseInt(matcher.group(1));

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"status\":\"ok\",\"name\":\"users-9\"}");

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(128 + 15);
        } finally {
            process.destroyForcibly();
        }
    }

    private static Process launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath(), SampleServices.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    /** The module's classes plus the Jackson jars, located from loaded classes (robust to surefire's booter jar). */
    private static String classpath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(SampleServices.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class)) {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
