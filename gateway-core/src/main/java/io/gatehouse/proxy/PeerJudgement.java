package io.gatehouse.proxy;

import io.gatehouse.context.ClientPeer;

import java.net.InetAddress;

/**
 * A client connection's socket peer, judged a trusted proxy or not by the trusted proxies of the snapshot each
 * request reads: worked out again only when a reload brought other trusted proxies, so a request normally costs
 * nothing here. Confined to the connection's event loop.
 */
final class PeerJudgement {
    private final InetAddress address;
    private ForwardedHeaders judge;
    private ClientPeer peer;

    PeerJudgement(InetAddress address) {
        this.address = address;
    }

    ClientPeer under(ForwardedHeaders current) {
        if (current != judge) {
            judge = current;
            peer = current.peer(address);
        }
        return peer;
    }
}
