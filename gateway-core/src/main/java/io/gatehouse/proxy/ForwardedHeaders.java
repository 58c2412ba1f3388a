package io.gatehouse.proxy;

import io.gatehouse.config.Cidr;
import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.ClientTls;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.List;

/**
 * Adds {@code X-Forwarded-For/-Proto/-Host} and {@code Via} to a request on its way upstream. Values the
 * client sent are kept only when the socket peer is one of {@code server.trusted_proxies}; otherwise they are
 * replaced, so a client cannot forge its address to the backends.
 */
public final class ForwardedHeaders {
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    static final String VIA_VALUE = "1.1 gatehouse";

    private final List<Cidr> trustedProxies;

    public ForwardedHeaders(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** Describes a connection's client once, so nothing per request repeats the address work. */
    public ClientPeer peer(InetAddress address, ClientTls tls) {
        return new ClientPeer(address, address.getHostAddress(), isTrusted(address), tls);
    }

    private boolean isTrusted(InetAddress peer) {
        for (int i = 0; i < trustedProxies.size(); i++) {
            if (trustedProxies.get(i).contains(peer)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The real client of a request: the socket peer, unless that is a trusted proxy; then {@code X-Forwarded-For}
     * read from the right, skipping trusted proxies, up to the first address that is not one. An entry that is
     * not an IP literal ends the walk at the last address known good, so garbage cannot choose the client.
     */
    public InetAddress clientAddress(ClientPeer peer, HttpHeaders headers) {
        if (!peer.trustedProxy()) {
            return peer.address();
        }
        InetAddress client = peer.address();
        List<String> values = headers.getAll(X_FORWARDED_FOR);
        for (int v = values.size() - 1; v >= 0; v--) {
            String[] hops = values.get(v).split(",");
            for (int h = hops.length - 1; h >= 0; h--) {
                InetAddress hop = NetUtil.createInetAddressFromIpAddressString(hops[h].trim());
                if (hop == null) {
                    return client;
                }
                client = hop;
                if (!isTrusted(hop)) {
                    return hop;
                }
            }
        }
        return client;
    }

    /**
     * The client reached the gateway over TLS: a trusted proxy says so in {@code X-Forwarded-Proto} (it knows what the
     * client used), or else the connection is TLS.
     */
    public boolean isOverTls(ClientPeer peer, HttpHeaders headers) {
        String forwarded = peer.trustedProxy() ? headers.get(X_FORWARDED_PROTO) : null;
        return forwarded != null ? HTTPS.contentEqualsIgnoreCase(forwarded) : peer.tls().secure();
    }

    /**
     * @param headers      the outgoing request's headers, already stripped of hop-by-hop headers
     * @param peer         the client end of the connection
     * @param originalHost the Host the client asked for, or {@code null}
     */
    public void apply(HttpHeaders headers, ClientPeer peer, String originalHost) {
        String peerText = peer.text();
        if (peer.trustedProxy()) {
            String prior = joined(headers, X_FORWARDED_FOR);
            headers.set(X_FORWARDED_FOR, prior == null ? peerText : prior + ", " + peerText);
            if (!headers.contains(X_FORWARDED_PROTO)) {
                headers.set(X_FORWARDED_PROTO, scheme(peer));
            }
            if (!headers.contains(X_FORWARDED_HOST) && originalHost != null) {
                headers.set(X_FORWARDED_HOST, originalHost);
            }
        } else {
            headers.set(X_FORWARDED_FOR, peerText);
            headers.set(X_FORWARDED_PROTO, scheme(peer));
            if (originalHost != null) {
                headers.set(X_FORWARDED_HOST, originalHost);
            } else {
                headers.remove(X_FORWARDED_HOST);
            }
        }
        appendVia(headers);
    }

    private static AsciiString scheme(ClientPeer peer) {
        return peer.tls().secure() ? HTTPS : HTTP;
    }

    /** {@code Via} is end-to-end: each hop appends itself (RFC 9110 §7.6.3). */
    public static void appendVia(HttpHeaders headers) {
        String prior = joined(headers, HttpHeaderNames.VIA);
        headers.set(HttpHeaderNames.VIA, prior == null ? VIA_VALUE : prior + ", " + VIA_VALUE);
    }

    /** All values of a possibly repeated list header as one comma-separated value, or {@code null}. */
    private static String joined(HttpHeaders headers, AsciiString name) {
        List<String> values = headers.getAll(name);
        if (values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : String.join(", ", values);
    }
}
