package io.gatehouse.context;

import java.net.InetAddress;

/**
 * The client end of a connection, worked out once when the connection opens: its address, the address as text
 * (for forwarding headers and logs), and whether it is a trusted proxy whose {@code X-Forwarded-*} headers are
 * believed.
 */
public record ClientPeer(InetAddress address, String text, boolean trustedProxy) {
}
