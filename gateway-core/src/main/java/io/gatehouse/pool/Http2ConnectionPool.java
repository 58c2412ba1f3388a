package io.gatehouse.pool;

import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.tls.AlpnRefusedException;
import io.gatehouse.upstream.tls.UpstreamTls;
import io.gatehouse.upstream.tls.UpstreamTlsHandshakeException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/2 connections from one event loop to one backend ({@code protocol: h2c}, or {@code h2} over TLS with ALPN),
 * each lending many streams. Only that loop touches it, so it needs no locks. A new stream goes on the oldest open
 * connection below the backend's {@code SETTINGS_MAX_CONCURRENT_STREAMS}; a new connection opens only when every
 * connection is full, one at a time, up to {@code max_connections}; meanwhile requests wait in the bounded queue.
 * A connection that received or sent GOAWAY takes no new stream, does not count against the limit, and closes once
 * its last stream ends. A connection without streams closes after the keepalive timeout.
 *
 * <p>{@code fresh} changes nothing here: a broken connection fails all its streams and leaves the pool, so a stream
 * on a connection still in the pool is never stale on its own.
 */
public final class Http2ConnectionPool extends SlotPool {
    /** Oldest first: new streams fill the oldest connections, so that few connections carry the load. */
    private final List<MultiplexedConnection> connections = new ArrayList<>();
    private final ArrayDeque<AcquireListener> waiters = new ArrayDeque<>();
    private int connecting;
    private boolean retired;

    Http2ConnectionPool(EventLoop loop, Backend backend, Bootstrap template, int maxConnections,
                        int maxPendingAcquires, long keepaliveTimeoutMillis, ConnectionCounts counts) {
        super(loop, backend, template, maxConnections, maxPendingAcquires, keepaliveTimeoutMillis, counts);
    }

    @Override
    public void acquire(AcquireListener listener, boolean fresh) {
        assert loop.inEventLoop();
        MultiplexedConnection connection = withCapacity();
        if (connection != null) {
            connection.openStream(listener);
            return;
        }
        int usable = usableConnections();
        if (usable < maxConnections && connecting == 0) {
            connect(listener);
        } else if (waiters.size() < maxPendingAcquires) {
            waiters.addLast(listener); // a connection under way, or a stream ending, serves it
        } else if (usable < maxConnections) {
            connect(listener);
        } else {
            listener.onAcquireFailed(new PoolExhaustedException(
                    "all " + maxConnections + " HTTP/2 connections to " + backend + " carry as many streams as it "
                            + "allows and " + maxPendingAcquires + " requests are already waiting"), true);
        }
    }

    @Override
    public void cancel(AcquireListener listener) {
        waiters.remove(listener);
    }

    @Override
    void retire() {
        assert loop.inEventLoop();
        retired = true;
        for (MultiplexedConnection connection : List.copyOf(connections)) {
            if (connection.openStreams() == 0) {
                connection.channel().close();
            }
        }
    }

    private MultiplexedConnection withCapacity() {
        for (int i = 0; i < connections.size(); i++) {
            MultiplexedConnection connection = connections.get(i);
            if (connection.hasCapacity()) {
                return connection;
            }
        }
        return null;
    }

    /** Connections open or opening that may still take streams: those going away do not count. */
    private int usableConnections() {
        int usable = 0;
        for (int i = 0; i < connections.size(); i++) {
            if (!connections.get(i).isGoingAway()) {
                usable++;
            }
        }
        return usable;
    }

    private void connect(AcquireListener initiator) {
        MultiplexedConnection connection = new MultiplexedConnection(this, initiator);
        connections.add(connection);
        connecting++;
        UpstreamTls tls = backend.tls();
        int timeoutMillis = initiator.connectTimeoutMillis();
        ChannelFuture future = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), backend.host(), backend.port(),
                                    timeoutMillis));
                        }
                        Http2Channels.addConnectionHandlers(ch.pipeline());
                        // Reader idle: a connection without streams reads nothing, so this times its rest.
                        ch.pipeline().addLast(new IdleStateHandler(keepaliveTimeoutMillis, 0, 0,
                                TimeUnit.MILLISECONDS), connection);
                    }
                }).connect(backend.socketAddress());
        // One bound for connecting, the TLS handshake and the backend's first SETTINGS frame.
        loop.schedule(() -> {
            if (!connection.settled) {
                connectionFailed(connection, new ConnectTimeoutException(
                        "no HTTP/2 SETTINGS from the backend within " + timeoutMillis + " ms"));
                future.channel().close();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        future.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                connectionFailed(connection, f.cause());
                return;
            }
            connection.counted = true;
            connection.inUse = true;
            counts.active.incrementAndGet();
            SslHandler ssl = tls == null ? null : f.channel().pipeline().get(SslHandler.class);
            if (ssl != null) {
                ssl.handshakeFuture().addListener(handshake -> {
                    String selected = ssl.applicationProtocol();
                    if (!handshake.isSuccess()) {
                        connectionFailed(connection, new UpstreamTlsHandshakeException(handshake.cause()));
                        f.channel().close();
                    } else if (!ApplicationProtocolNames.HTTP_2.equals(selected)) {
                        connectionFailed(connection,
                                new UpstreamTlsHandshakeException(new AlpnRefusedException(selected)));
                        f.channel().close();
                    }
                });
            }
        });
    }

    /** The backend's first SETTINGS arrived: the connection takes streams, its opener's first. */
    void connectionReady(MultiplexedConnection connection) {
        if (connection.settled) {
            return;
        }
        connection.settled = true;
        connection.ready = true;
        connecting--;
        connection.openStream(connection.initiator);
        serveWaiters();
    }

    /** Connecting failed or the connection broke before SETTINGS: its opener hears why, and so may the waiters. */
    void connectionFailed(MultiplexedConnection connection, Throwable cause) {
        if (connection.settled) {
            return;
        }
        connection.settled = true;
        connecting--;
        connection.initiator.onAcquireFailed(cause, false);
        if (connections.stream().noneMatch(c -> c != connection && !c.closed)) {
            // Nothing else to wait for: each waiter would otherwise wait through a connect of its own in turn.
            AcquireListener waiter;
            while ((waiter = waiters.pollFirst()) != null) {
                waiter.onAcquireFailed(cause, false);
            }
        }
    }

    void connectionGoingAway(MultiplexedConnection connection) {
        if (connection.openStreams() == 0) {
            connection.channel().close();
        }
        serveWaiters(); // it no longer counts against the limit: a new connection may open for them
    }

    void connectionClosed(MultiplexedConnection connection) {
        if (!connection.settled) {
            connectionFailed(connection, new ClosedChannelException());
        }
        connection.closed = true;
        connections.remove(connection);
        if (connection.counted) {
            (connection.inUse ? counts.active : counts.idle).decrementAndGet();
        }
        serveWaiters();
    }

    void streamOpened(MultiplexedConnection connection) {
        counts.streams.incrementAndGet();
        if (!connection.inUse) {
            connection.inUse = true;
            counts.idle.decrementAndGet();
            counts.active.incrementAndGet();
        }
    }

    void streamClosed(MultiplexedConnection connection) {
        counts.streams.decrementAndGet();
        if (connection.closed) {
            return;
        }
        if (connection.openStreams() == 0) {
            connection.inUse = false;
            counts.active.decrementAndGet();
            counts.idle.incrementAndGet();
            if (retired || connection.isGoingAway()) {
                connection.channel().close();
                return;
            }
        }
        serveWaiters();
    }

    private void serveWaiters() {
        while (!waiters.isEmpty()) {
            MultiplexedConnection connection = withCapacity();
            if (connection == null) {
                break;
            }
            connection.openStream(waiters.pollFirst());
        }
        if (!waiters.isEmpty() && !retired && connecting == 0 && usableConnections() < maxConnections) {
            connect(waiters.pollFirst());
        }
    }
}
