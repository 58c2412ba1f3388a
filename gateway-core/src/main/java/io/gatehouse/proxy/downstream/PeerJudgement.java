package io.gatehouse.proxy.downstream;

import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.ClientTls;
import io.gatehouse.proxy.ForwardedHeaders;
import io.gatehouse.security.AdmissionProgress;
import io.gatehouse.security.ClientCertificate;
import io.netty.channel.Channel;
import io.netty.util.Attribute;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;

/**
 * A client connection's socket peer, judged a trusted proxy or not by the trusted proxies of the snapshot each
 * request reads: worked out again only when a reload brought other trusted proxies, so a request normally costs
 * nothing here. On a TLS connection it also carries the {@link ClientTls} the handshake left on the channel (always
 * there before the first request, which is read after the handshake), and hands it to the connection's admission
 * progress once, for the identity steps. Confined to the connection's event loop.
 */
final class PeerJudgement {
    private final InetAddress address;
    private final Attribute<ClientTls> tls;
    private final AdmissionProgress admission;
    private ForwardedHeaders judge;
    private ClientPeer peer;

    PeerJudgement(Channel channel, AdmissionProgress admission) {
        this.address = ((InetSocketAddress) channel.remoteAddress()).getAddress();
        this.tls = channel.attr(ClientTls.ATTRIBUTE);
        this.admission = admission;
    }

    ClientPeer under(ForwardedHeaders current) {
        if (current != judge || (!peer.tls().secure() && tls.get() != null)) {
            ClientTls connection = tls.get();
            judge = current;
            peer = current.peer(address, connection != null ? connection : ClientTls.PLAIN);
            X509Certificate verified = peer.tls().verifiedCertificate();
            admission.clientCertificate(verified == null ? null : ClientCertificate.of(verified));
        }
        return peer;
    }
}
