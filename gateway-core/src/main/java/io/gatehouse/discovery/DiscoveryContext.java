package io.gatehouse.discovery;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;

/**
 * What the gateway lends a discovery: its event loops (a discovery may run its lookups on one of them, never blocking
 * it) and the channel types of its transport.
 */
public record DiscoveryContext(EventLoopGroup loops, Class<? extends DatagramChannel> datagramChannel,
                               Class<? extends SocketChannel> socketChannel) {}
