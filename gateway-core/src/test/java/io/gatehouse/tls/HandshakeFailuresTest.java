package io.gatehouse.tls;

import io.gatehouse.metrics.TlsHandshakeCounters.Result;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.nio.channels.ClosedChannelException;

import static org.assertj.core.api.Assertions.assertThat;

/** The reasons of failed handshakes, from what BoringSSL and the JDK engine say. */
class HandshakeFailuresTest {
    private static Result reason(String message) {
        return HandshakeFailures.reason(new DecoderException(new SSLHandshakeException(message)));
    }

    @Test
    void boringSslErrors() {
        assertThat(reason("error:100000f0:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL"))
                .isEqualTo(Result.PROTOCOL_VERSION);
        assertThat(reason("error:100000b8:SSL routines:OPENSSL_internal:NO_SHARED_CIPHER"))
                .isEqualTo(Result.NO_SHARED_CIPHER);
        assertThat(reason("error:100000c7:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE"))
                .isEqualTo(Result.CERTIFICATE_REQUIRED);
        assertThat(reason("error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED"))
                .isEqualTo(Result.BAD_CERTIFICATE);
        assertThat(reason("error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_RECORD_MAC"))
                .isEqualTo(Result.OTHER);
    }

    @Test
    void jdkEngineMessages() {
        assertThat(reason("The client supported protocol versions [TLSv1.2] are not accepted by server preferences"
                + " [TLSv1.3]")).isEqualTo(Result.PROTOCOL_VERSION);
        assertThat(reason("no cipher suites in common")).isEqualTo(Result.NO_SHARED_CIPHER);
        assertThat(reason("Empty client certificate chain")).isEqualTo(Result.CERTIFICATE_REQUIRED);
        assertThat(reason("PKIX path building failed")).isEqualTo(Result.BAD_CERTIFICATE);
    }

    @Test
    void byExceptionType() {
        assertThat(HandshakeFailures.reason(new SslHandshakeTimeoutException("handshake timed out after 10000ms")))
                .isEqualTo(Result.TIMEOUT);
        assertThat(HandshakeFailures.reason(new DecoderException(new NotSslRecordException("not an SSL/TLS record"))))
                .isEqualTo(Result.NOT_TLS);
        assertThat(HandshakeFailures.reason(new ClosedChannelException())).isEqualTo(Result.CLOSED);
    }
}
