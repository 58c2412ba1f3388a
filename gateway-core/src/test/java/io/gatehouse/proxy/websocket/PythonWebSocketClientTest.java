package io.gatehouse.proxy.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.WebSocketBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A second, independent client: Python's {@code websockets} (Debian's python3-websockets, which test.sh installs),
 * run with Debian's own python3 so that a python3 of another installation earlier on the PATH does not hide it.
 */
class PythonWebSocketClientTest {
    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void pythonWebsocketsEchoesCompressedMessagesAndClosesThroughTheGateway() throws Exception {
        try (WebSocketBackend backend = new WebSocketBackend(0, true);
             TestGateway gateway = TestGateway.start("""
                     auth: {default: []}
                     routes:
                       - {id: ws, match: {path_prefix: /ws}, upstream: "http://127.0.0.1:%d", websocket: true}
                     """.formatted(backend.port()))) {
            Path script = Files.createTempFile("echo_client", ".py");
            try {
                Files.write(script, Objects.requireNonNull(getClass().getResourceAsStream("/websocket/echo_client.py"))
                        .readAllBytes());
                String output = run(script, "ws://127.0.0.1:" + gateway.port() + "/ws/python");

                // permessage-deflate, negotiated end to end, passes the byte relay untouched
                assertThat(output.lines()).containsExactly("subprotocol chat", "extensions permessage-deflate",
                        "greeting hello", "text from python",
                        "binary 1048576 True", "closed 4003", "ok");
                await().atMost(Duration.ofSeconds(5)).until(() -> backend.closeCodes.contains(4003));
            } finally {
                Files.delete(script);
            }
        }
    }

    private static String run(Path script, String uri) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(PYTHON, script.toString(), uri).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the Python client did not finish within 30 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
