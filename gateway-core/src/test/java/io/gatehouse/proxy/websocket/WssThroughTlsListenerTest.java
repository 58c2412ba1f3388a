package io.gatehouse.proxy.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import io.gatehouse.testing.TlsClients;
import io.gatehouse.testing.WebSocketBackend;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WssThroughTlsListenerTest {
    private static final TestPki.Authority CA = TestPki.authority("Gatehouse Test CA");

    @TempDir
    Path dir;

    @Test
    void wssThroughTheTlsListener() throws Exception {
        TestPki.Files cert = CA.server("default.test").writeTo(dir, "default");
        try (WebSocketBackend backend = new WebSocketBackend();
             TestGateway gateway = TestGateway.start("""
                     server:
                       tls:
                         port: 0
                         certificates:
                           - {cert: %s, key: %s}
                     routes:
                       - {id: ws, match: {path_prefix: /ws}, upstream: "http://127.0.0.1:%d", websocket: true}
                     """.formatted(cert.cert(), cert.key(), backend.port()))) {
            SSLSocket socket = TlsClients.connect(TlsClients.context(CA.certificate(), null), gateway.tlsPort(),
                    "default.test");
            RawHttp raw = RawHttp.over(socket);
            raw.send(RawHttp.request("GET", "/ws/tls", "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));
            assertThat(raw.readHead()).startsWith("HTTP/1.1 101");
            assertThat(socket.getInputStream().readNBytes(7)).containsExactly((byte) 0x81, 5, 'h', 'e', 'l', 'l', 'o');
            socket.getOutputStream().write(new byte[] {(byte) 0x81, (byte) 0x82, 0, 0, 0, 0, 'h', 'i'});
            assertThat(socket.getInputStream().readNBytes(4)).containsExactly((byte) 0x81, 2, 'h', 'i');
            socket.close();
        }
    }
}
