package io.gatehouse.context;

import io.netty.util.AttributeKey;

import java.security.cert.X509Certificate;

/**
 * The TLS side of a client connection, captured once when its handshake is done: whether the connection is TLS at
 * all, and the client certificate verified against {@code server.tls.client_auth.ca}, if any. A request on the
 * connection reads it from its {@link ClientPeer}.
 *
 * @param verifiedCertificate the client's leaf certificate, verified; null when it sent none or one not verified
 */
public record ClientTls(boolean secure, X509Certificate verifiedCertificate) {
    /** A plain HTTP connection. */
    public static final ClientTls PLAIN = new ClientTls(false, null);
    /** Set on a TLS connection's channel by the handshake's outcome; absent on plain connections. */
    public static final AttributeKey<ClientTls> ATTRIBUTE = AttributeKey.valueOf(ClientTls.class, "clientTls");
}
