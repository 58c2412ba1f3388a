package io.gatehouse.upstream.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

import javax.net.ssl.SSLException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/**
 * Why a TLS connection to a backend failed, read from the exception the engine raised: the {@link #label} of the
 * failure counter and the log line. Both engines (OpenSSL and the JDK's) verify certificates with the JDK's trust
 * manager, so certificate problems carry its exceptions as causes; alerts sent by the backend are known by name.
 */
public enum TlsFailure {
    UNKNOWN_CA("unknown_ca", "the backend's certificate does not chain to a trusted CA"),
    HOSTNAME_MISMATCH("hostname_mismatch", "the backend's certificate is not valid for the name verified"),
    CERTIFICATE_EXPIRED("certificate_expired", "the backend's certificate has expired or is not yet valid"),
    CLIENT_CERTIFICATE_REJECTED("client_certificate_rejected",
            "the backend refused the gateway's client certificate, or wanted one and got none"),
    HANDSHAKE_TIMEOUT("handshake_timeout", "the handshake did not finish within connect_timeout"),
    NOT_TLS("not_tls", "the backend did not answer in TLS"),
    CLOSED_IN_HANDSHAKE("closed_in_handshake", "the backend closed the connection during the handshake (does it "
            + "speak TLS on this port?)"),
    ALPN_REFUSED("alpn_refused", "the backend did not select h2 in ALPN (it speaks HTTP/1.1 only? set the "
            + "pool's protocol to http1)"),
    OTHER("handshake_failed", "the TLS handshake failed");

    /** How far down a cause chain to look; chains from the engines are short. */
    private static final int MAX_DEPTH = 10;

    private final String label;
    private final String description;

    TlsFailure(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** The stable name: the {@code reason} label of {@code gatehouse_upstream_tls_failures_total}. */
    public String label() {
        return label;
    }

    /** Which check failed, for the log line. */
    public String description() {
        return description;
    }

    /** The failure {@code cause} shows, or null when nothing in its chain is about TLS. */
    public static TlsFailure classify(Throwable cause) {
        TlsFailure found = null;
        Throwable t = cause;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            TlsFailure specific = specific(t);
            if (specific != null) {
                return specific;
            }
            if (found != null && t instanceof ClosedChannelException) { // only below a TLS exception
                return CLOSED_IN_HANDSHAKE;
            }
            if (t instanceof SSLException) {
                found = OTHER;
            }
        }
        return found;
    }

    private static TlsFailure specific(Throwable t) {
        if (t instanceof AlpnRefusedException) {
            return ALPN_REFUSED;
        }
        if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
                || (t instanceof CertPathValidatorException e
                        && (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                        || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID))) {
            return CERTIFICATE_EXPIRED;
        }
        if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
            return UNKNOWN_CA;
        }
        String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        // The JDK's HostnameChecker: "No subject alternative DNS name matching x found", "No name matching x found".
        if (t instanceof CertificateException && (message.startsWith("no subject alternative")
                || message.startsWith("no name matching"))) {
            return HOSTNAME_MISMATCH;
        }
        if (t instanceof SslHandshakeTimeoutException) {
            return HANDSHAKE_TIMEOUT;
        }
        if (t instanceof NotSslRecordException) {
            return NOT_TLS;
        }
        // Alerts from the backend: "Received fatal alert: bad_certificate" (JDK), "..._ALERT_BAD_CERTIFICATE"
        // (BoringSSL); certificate_required is TLS 1.3's answer to a missing client certificate.
        if (t instanceof SSLException && (message.contains("certificate_required")
                || message.contains("bad_certificate"))) {
            return CLIENT_CERTIFICATE_REJECTED;
        }
        return null;
    }
}
