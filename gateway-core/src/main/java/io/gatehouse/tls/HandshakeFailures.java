package io.gatehouse.tls;

import io.gatehouse.metrics.TlsHandshakeCounters.Result;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Why a handshake failed, from the exception the engine gave: a few stable reasons for the metric, read from the
 * BoringSSL error names and the JDK engine's messages.
 */
final class HandshakeFailures {
    private HandshakeFailures() {}

    static Result reason(Throwable cause) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return Result.TIMEOUT;
            }
            if (t instanceof NotSslRecordException) {
                return Result.NOT_TLS;
            }
            if (t instanceof ClosedChannelException) {
                return Result.CLOSED;
            }
            messages.append(t.getMessage()).append('\n');
            if (t.getCause() == t) {
                break;
            }
        }
        String text = messages.toString().toLowerCase(Locale.ROOT);
        if (has(text, "unsupported_protocol", "protocol_version", "no appropriate protocol",
                "client requested protocol", "supported protocol versions", "wrong_version_number")) {
            return Result.PROTOCOL_VERSION;
        }
        if (has(text, "no_shared_cipher", "no cipher suites in common", "no_cipher_match")) {
            return Result.NO_SHARED_CIPHER;
        }
        if (has(text, "peer_did_not_return_a_certificate", "empty client certificate chain",
                "certificate_required", "empty server certificate chain")) {
            return Result.CERTIFICATE_REQUIRED;
        }
        if (has(text, "certificate_verify_failed", "unknown_ca", "bad_certificate", "certificate_unknown",
                "pkix path", "certification path")) {
            return Result.BAD_CERTIFICATE;
        }
        return Result.OTHER;
    }

    private static boolean has(String text, String... needles) {
        for (String needle : needles) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
