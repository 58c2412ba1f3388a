package io.gatehouse.upstream.tls;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;

import static org.assertj.core.api.Assertions.assertThat;

/** What each engine failure is counted and logged as; failures without TLS in them are not TLS failures. */
class TlsFailureTest {
    @Test
    void plainConnectionFailuresAreNotTlsFailures() {
        assertThat(TlsFailure.classify(new ConnectException("Connection refused"))).isNull();
        assertThat(TlsFailure.classify(new ClosedChannelException())).isNull();
        assertThat(TlsFailure.classify(new DecoderException("bad chunk", new IllegalStateException()))).isNull();
    }

    @Test
    void aCloseDuringTheHandshakeIsItsOwnReason() {
        assertThat(TlsFailure.classify(new UpstreamTlsHandshakeException(new ClosedChannelException())))
                .isEqualTo(TlsFailure.CLOSED_IN_HANDSHAKE);
    }

    @Test
    void theCheckThatFailedIsFoundDownTheCauseChain() {
        assertThat(TlsFailure.classify(new UpstreamTlsHandshakeException(handshake(
                new CertificateException("No subject alternative DNS name matching api.internal found.")))))
                .isEqualTo(TlsFailure.HOSTNAME_MISMATCH);
        assertThat(TlsFailure.classify(new UpstreamTlsHandshakeException(
                new SslHandshakeTimeoutException("handshake timed out after 1000ms"))))
                .isEqualTo(TlsFailure.HANDSHAKE_TIMEOUT);
        assertThat(TlsFailure.classify(new UpstreamTlsHandshakeException(new NotSslRecordException("not TLS"))))
                .isEqualTo(TlsFailure.NOT_TLS);
        assertThat(TlsFailure.classify(new DecoderException(new SSLException(
                "error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE"))))
                .isEqualTo(TlsFailure.CLIENT_CERTIFICATE_REJECTED);
        assertThat(TlsFailure.classify(new SSLHandshakeException("Received fatal alert: certificate_required")))
                .isEqualTo(TlsFailure.CLIENT_CERTIFICATE_REJECTED);
        assertThat(TlsFailure.classify(new SSLException("something else"))).isEqualTo(TlsFailure.OTHER);
        assertThat(TlsFailure.OTHER.label()).isEqualTo("handshake_failed");
    }

    private static SSLHandshakeException handshake(Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException("verification failed");
        e.initCause(cause);
        return e;
    }
}
