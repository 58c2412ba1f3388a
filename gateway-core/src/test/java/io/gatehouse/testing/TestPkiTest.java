package io.gatehouse.testing;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

class TestPkiTest {
    @Test
    void issuedFilesLoadAsAServerContextAndChainToTheirAuthority(@TempDir Path dir) throws Exception {
        TestPki.Authority ca = TestPki.authority("Test CA");
        TestPki.Files files = ca.server("api.example.com", "*.api.example.com").writeTo(dir, "api");

        assertThat(SslContextBuilder.forServer(files.cert().toFile(), files.key().toFile()).build().isServer()).isTrue();
        X509Certificate leaf = ca.server("a.test").certificate();
        leaf.verify(ca.certificate().getPublicKey());
        assertThat(leaf.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList()).containsExactly("a.test");
    }

    @Test
    void boringSslLoadsOnThisPlatform() {
        // The gateway prefers BoringSSL; on x86_64 Linux its native library ships in the jar.
        assertThat(OpenSsl.isAvailable()).as("%s", OpenSsl.unavailabilityCause()).isTrue();
    }
}
