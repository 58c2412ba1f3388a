package io.gatehouse.server;

import io.gatehouse.server.GatehouseProcesses.Child;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestPki;
import io.gatehouse.testing.TlsClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.gatehouse.server.GatehouseProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTPS from the packaged {@code gatehouse.jar}: the shaded jar carries BoringSSL's native library, so the gateway
 * runs the OpenSSL engine and answers over TLS 1.3.
 */
class HttpsFatJarIT {
    private static final TestPki.Authority CA = TestPki.authority("Gatehouse Jar Test CA");

    @TempDir
    Path dir;
    private GatehouseProcesses gatehouse;

    @BeforeAll
    static void jarIsBuilt() {
        GatehouseProcesses.assertJarIsBuilt();
    }

    @AfterEach
    void cleanUp() throws Exception {
        gatehouse.close();
    }

    @Test
    void servesHttpsWithTheOpenSslEngineFromTheJar() throws Exception {
        gatehouse = new GatehouseProcesses(dir);
        TestPki.Files cert = CA.server("gatehouse.test").writeTo(dir, "server");
        int port = freePort();
        int tlsPort = freePort();
        Path config = Files.writeString(dir.resolve("https.yml"), """
                server:
                  port: %d
                  tls:
                    port: %d
                    certificates: [{cert: %s, key: %s}]
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: http://127.0.0.1:%d
                """.formatted(port, tlsPort, cert.cert(), cert.key(), gatehouse.refusedPort()));
        Child child = gatehouse.run(Map.of(), "--config", config.toString());

        Reply health = await("/healthz over HTTPS").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).ignoreException(ConnectException.class)
                .until(() -> {
                    assertThat(child.process().isAlive()).as("gateway alive; stderr:%n%s", child.err()).isTrue();
                    return healthOverTls(tlsPort);
                }, reply -> reply.status() == 200);

        assertThat(health.body()).contains("ok");
        assertThat(child.err()).contains("TLS engine: OpenSSL (BoringSSL)",
                "Gatehouse listening on 0.0.0.0:" + port + " and HTTPS :" + tlsPort);
    }

    private static Reply healthOverTls(int tlsPort) throws IOException {
        try (SSLSocket socket = TlsClients.connect(TlsClients.context(CA.certificate(), null), tlsPort,
                "gatehouse.test", "TLSv1.3")) {
            return Reply.parse(RawHttp.over(socket).send(RawHttp.request("GET", "/healthz")).readResponse());
        }
    }
}
