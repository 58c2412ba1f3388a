package io.gatehouse.pool;

import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.tls.UpstreamTls;
import io.gatehouse.upstream.tls.UpstreamTlsHandshakeException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections from one event loop to one backend. Only that loop touches it, so it needs no locks;
 * every gateway loop has its own, so a request never hops threads to reach its upstream connection.
 * Idle connections are reused most-recent first (warm ones) and closed after the keepalive timeout. To an https
 * backend a connection is lent only once its TLS handshake succeeded, so a failed handshake is a failed connect.
 */
public final class BackendConnectionPool extends SlotPool {
    private static final int MAX_RESPONSE_INITIAL_LINE = 8192;
    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<AcquireListener> waiters = new ArrayDeque<>();
    private int open;
    /** Its backend left the configuration: connections close instead of returning to the idle list. */
    private boolean retired;

    BackendConnectionPool(EventLoop loop, Backend backend, Bootstrap template, int maxConnections,
                          int maxPendingAcquires, long keepaliveTimeoutMillis, ConnectionCounts counts) {
        super(loop, backend, template, maxConnections, maxPendingAcquires, keepaliveTimeoutMillis, counts);
    }

    /**
     * Lends a connection: an idle one unless {@code fresh}, else a new one while under the limit, else a place in
     * the bounded wait queue, else an immediate {@link PoolExhaustedException}.
     */
    @Override
    public void acquire(AcquireListener listener, boolean fresh) {
        assert loop.inEventLoop();
        if (!fresh) {
            UpstreamConnection connection = pollIdle();
            if (connection != null) {
                lend(connection, listener);
                return;
            }
        }
        if (open < maxConnections) {
            connect(listener);
        } else if (waiters.size() < maxPendingAcquires) {
            waiters.addLast(listener);
        } else {
            listener.onAcquireFailed(new PoolExhaustedException(
                    "all " + maxConnections + " connections to " + backend + " are busy and "
                            + maxPendingAcquires + " requests are already waiting"), true);
        }
    }

    @Override
    public void cancel(AcquireListener listener) {
        waiters.remove(listener);
    }

    private UpstreamConnection pollIdle() {
        UpstreamConnection connection;
        while ((connection = idle.pollLast()) != null) {
            // A closing connection stays counted as idle until its onClosed, which settles the count.
            if (connection.channel().isActive()) {
                connection.idleInPool = false;
                counts.idle.decrementAndGet();
                counts.active.incrementAndGet();
                return connection;
            }
        }
        return null;
    }

    private void lend(UpstreamConnection connection, AcquireListener listener) {
        connection.attach(listener);
        listener.onAcquired(connection);
    }

    private void connect(AcquireListener listener) {
        open++;
        UpstreamConnection connection = new UpstreamConnection(this);
        UpstreamTls tls = backend.tls();
        ChannelFuture future = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, listener.connectTimeoutMillis())
                .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (tls != null) {
                    // The handshake is part of connecting: it has the connect timeout as its own bound.
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), backend.host(), backend.port(),
                            listener.connectTimeoutMillis()));
                }
                ch.pipeline().addLast(
                        new HttpClientCodec(new HttpDecoderConfig()
                                .setMaxInitialLineLength(MAX_RESPONSE_INITIAL_LINE)
                                .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES), false, false),
                        // Reader idle only: a pooled connection's last event is reading a response, so this times
                        // its rest in the pool as all-idle would, without a promise and listener on every write.
                        new IdleStateHandler(keepaliveTimeoutMillis, 0, 0, TimeUnit.MILLISECONDS),
                        connection);
            }
        }).connect(backend.socketAddress());
        future.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                open--;
                listener.onAcquireFailed(f.cause(), false);
                serveWaiter();
                return;
            }
            counts.active.incrementAndGet();
            SslHandler ssl = tls == null ? null : f.channel().pipeline().get(SslHandler.class);
            if (ssl == null) {
                lend(connection, listener);
                return;
            }
            ssl.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    lend(connection, listener);
                } else {
                    // Nothing was sent: the listener may try another backend. The close (if the handler has not
                    // closed already) reaches onClosed, which settles the counts and serves a waiter.
                    listener.onAcquireFailed(new UpstreamTlsHandshakeException(handshake.cause()), false);
                    f.channel().close();
                }
            });
        });
    }

    @Override
    void retire() {
        assert loop.inEventLoop();
        retired = true;
        UpstreamConnection connection;
        while ((connection = idle.pollLast()) != null) {
            connection.idleInPool = false; // onClosed then counts it as active: move it over first
            counts.idle.decrementAndGet();
            counts.active.incrementAndGet();
            connection.channel().close();
        }
    }

    /** Called by a connection that ended its exchange cleanly. */
    void offerIdle(UpstreamConnection connection) {
        if (retired) {
            connection.channel().close();
            return;
        }
        AcquireListener waiter = waiters.pollFirst();
        if (waiter != null) {
            lend(connection, waiter);
            return;
        }
        counts.active.decrementAndGet();
        counts.idle.incrementAndGet();
        connection.idleInPool = true;
        idle.addLast(connection);
        // Reading while idle notices a backend's close now, not on the next request; the exchange may have
        // paused reading for a slow client.
        connection.channel().config().setAutoRead(true);
    }

    /** Called once for every connection that was connected, when it closes. */
    void onClosed(UpstreamConnection connection) {
        open--;
        if (connection.idleInPool) {
            idle.remove(connection);
            counts.idle.decrementAndGet();
        } else {
            counts.active.decrementAndGet();
        }
        serveWaiter();
    }

    private void serveWaiter() {
        if (!waiters.isEmpty() && open < maxConnections) {
            connect(waiters.pollFirst());
        }
    }
}
