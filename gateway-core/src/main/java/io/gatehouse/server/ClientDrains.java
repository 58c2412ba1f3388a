package io.gatehouse.server;

import io.gatehouse.proxy.downstream.ClientConnectionHandler;
import io.gatehouse.proxy.websocket.Tunnel;
import io.gatehouse.server.http2.GracefulGoAway;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;

/**
 * Ends client connections gracefully, each on its own event loop, by what it speaks: a WebSocket tunnel gets close
 * frames 1001 both ways, an HTTP/2 connection a graceful GOAWAY (its streams finish), an HTTP/1.x connection closes
 * after its current response (at once when idle).
 */
final class ClientDrains {
    private ClientDrains() {}

    /** At shutdown: every connection. */
    static void drainAll(ChannelGroup clients) {
        for (Channel client : clients) {
            client.eventLoop().execute(() -> {
                if (Tunnel.drain(client) || GracefulGoAway.drain(client)) {
                    return;
                }
                ClientConnectionHandler handler = client.pipeline().get(ClientConnectionHandler.class);
                if (handler != null) {
                    handler.drain();
                }
            });
        }
    }

    /**
     * After a reload changed {@code server.http2}: the HTTP/2 connections, so that their clients reconnect and get
     * the new SETTINGS. HTTP/1.x connections are left alone.
     */
    static void drainHttp2(ChannelGroup clients) {
        for (Channel client : clients) {
            client.eventLoop().execute(() -> GracefulGoAway.drain(client));
        }
    }
}
