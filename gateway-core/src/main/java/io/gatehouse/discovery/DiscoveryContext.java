package io.gatehouse.discovery;

import io.gatehouse.etcd.EtcdClients;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;

/**
 * What the gateway lends a discovery: its event loops (a discovery may run its lookups on one of them, never blocking
 * it), the channel types of its transport, and its etcd clients (one per cluster, shared with an etcd config source).
 */
public record DiscoveryContext(EventLoopGroup loops, Class<? extends DatagramChannel> datagramChannel,
                               Class<? extends SocketChannel> socketChannel, EtcdClients etcd) {}
