package io.gatehouse.upstream.tls;

import javax.net.ssl.SSLException;

/**
 * The TLS handshake with a backend of a {@code protocol: h2} pool succeeded, but ALPN did not pick h2 (the backend
 * chose http/1.1, or ignored ALPN). The gateway does not fall back to HTTP/1.1 on such a pool: it closes the
 * connection, and the attempt fails like a failed handshake ({@link TlsFailure#ALPN_REFUSED}).
 */
public final class AlpnRefusedException extends SSLException {
    public AlpnRefusedException(String selected) {
        super("the backend selected " + (selected == null ? "no protocol" : selected) + " in ALPN instead of h2");
    }
}
