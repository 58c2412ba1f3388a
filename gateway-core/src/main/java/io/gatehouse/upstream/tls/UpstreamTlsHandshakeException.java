package io.gatehouse.upstream.tls;

import javax.net.ssl.SSLHandshakeException;

/**
 * A TLS handshake with a backend did not complete (the connection is closed, nothing was sent on it): an acquire
 * failure like a refused connect. {@link TlsFailure#classify} reads its cause.
 */
public final class UpstreamTlsHandshakeException extends SSLHandshakeException {
    public UpstreamTlsHandshakeException(Throwable cause) {
        super("TLS handshake failed");
        initCause(cause);
    }
}
