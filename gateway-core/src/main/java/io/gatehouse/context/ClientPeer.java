package io.gatehouse.context;

import java.net.InetAddress;

/**
 * The client end of a connection, worked out once when the connection opens: its address, the address as text
 * (for forwarding headers and logs), whether it is a trusted proxy whose {@code X-Forwarded-*} headers are
 * believed, and the connection's TLS side.
 */
public record ClientPeer(InetAddress address, String text, boolean trustedProxy, ClientTls tls) {
    /** A plain HTTP connection. */
    public ClientPeer(InetAddress address, String text, boolean trustedProxy) {
        this(address, text, trustedProxy, ClientTls.PLAIN);
    }
}
