package io.gatehouse.proxy.websocket;

import io.gatehouse.config.WebSocketConfig;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * A WebSocket between a client and a backend connection after the backend's {@code 101}: bytes relayed both ways as
 * they come, without decoding frames (extensions such as permessage-deflate pass untouched), with backpressure: while
 * one connection cannot take more, the other is not read. Both connections are on one event loop.
 *
 * <p>It ends when either connection closes (the other is closed once its writes are out), or after a close
 * handshake: a close frame passed on each way closes each connection. The gateway ends it itself on
 * {@code idle_timeout}, {@code max_lifetime} and graceful shutdown by sending close code 1001 to both ends, each
 * between two frames of the stream it joins ({@link FrameTracker}), then waits {@link #CLOSE_WAIT_SECONDS} at most
 * for their answers. Its {@link Ending} hears once how and when it ended.
 */
public final class Tunnel {
    /** How long a tunnel being closed waits for the close handshake and the sockets to finish before it cuts them. */
    static final long CLOSE_WAIT_SECONDS = 5;

    /** Told once, when both connections are closed. */
    public interface Ending {
        /**
         * @param reason      see {@link EndReason}
         * @param fromClient  bytes read from the client after the 101
         * @param fromBackend bytes read from the backend after the 101
         */
        void ended(EndReason reason, long fromClient, long fromBackend);
    }

    private final TunnelEnd client = new TunnelEnd("client");
    private final TunnelEnd backend = new TunnelEnd("backend");
    private final EventLoop loop;
    private final WebSocketConfig limits;
    private final Ending ending;
    private long lastActivity;
    private ScheduledFuture<?> idleTimer;
    private ScheduledFuture<?> lifetimeTimer;
    private ScheduledFuture<?> cutTimer;
    private EndReason reason;
    private boolean ended;
    /** The end whose close frame came first, or null. */
    private TunnelEnd firstToClose;

    public Tunnel(EventLoop loop, WebSocketConfig limits, Ending ending) {
        this.loop = loop;
        this.limits = limits;
        this.ending = ending;
    }

    /** The handler for the client's pipeline, in place of its HTTP codec. */
    public ChannelHandler clientHandler(Channel channel) {
        client.attach(this, channel);
        return client;
    }

    /** The handler for the backend connection's pipeline, in place of the pool's handler. */
    public ChannelHandler backendHandler(Channel channel) {
        backend.attach(this, channel);
        return backend;
    }

    /** Both pipelines are switched: relay what waited, read both ways, start the clocks. On the loop. */
    public void start() {
        lastActivity = now();
        client.start();
        backend.start();
        if (client.closed || backend.closed) {
            endClosed(client.closed ? client : backend); // closed while being switched
        }
        if (!ended) {
            idleTimer = loop.schedule(this::checkIdle, limits.idleTimeout().toNanos(), TimeUnit.NANOSECONDS);
            lifetimeTimer = loop.schedule(() -> goAway(EndReason.MAX_LIFETIME), limits.maxLifetime().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    /** Graceful shutdown: close frames 1001 to both ends. On the loop. */
    public void drain() {
        goAway(EndReason.SHUTDOWN);
    }

    /**
     * Graceful shutdown of a client connection: when it carries a tunnel, that tunnel {@linkplain #drain drains}.
     * On the connection's loop.
     *
     * @return whether the connection carries a tunnel
     */
    public static boolean drain(Channel client) {
        TunnelEnd end = client.pipeline().get(TunnelEnd.class);
        if (end == null) {
            return false;
        }
        end.tunnel().drain();
        return true;
    }

    void relay(TunnelEnd from, ByteBuf buf) {
        TunnelEnd to = other(from);
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        from.bytesRead += end - start;
        if (to.closeInjected || to.closed) {
            from.frames.scan(buf, start, end, false); // dropped, but its close answer is noticed
            buf.release();
        } else if (to.injectPending) {
            int frameEnd = from.frames.scan(buf, start, end, true);
            if (from.frames.atFrameBoundary()) {
                if (frameEnd > start) {
                    to.write(buf.retainedSlice(start, frameEnd - start));
                }
                inject(to);
                from.frames.scan(buf, frameEnd, end, false);
                buf.release();
            } else {
                to.write(buf);
            }
        } else {
            from.frames.scan(buf, start, end, false);
            to.write(buf);
        }
        if (firstToClose == null && from.frames.sawClose()) {
            firstToClose = from;
        }
        if (from.frames.isMalformed()) {
            cut(EndReason.PROTOCOL_ERROR);
        }
    }

    void readComplete(TunnelEnd from) {
        lastActivity = now();
        TunnelEnd to = other(from);
        to.flush();
        if (!to.channel().isWritable() && !to.closeInjected) {
            from.autoRead(false); // resumed by the other end's writabilityChanged; at most one more read meanwhile
        }
        closeFinishedHandshakes();
    }

    void writabilityChanged(TunnelEnd end, boolean writable) {
        if (writable) {
            other(end).autoRead(true);
        }
    }

    /** One connection closed: the other closes once what was relayed to it is written. */
    void endClosed(TunnelEnd closed) {
        if (reason == null) {
            reason = firstToClose != null ? closeInitiator()
                    : closed == client ? EndReason.CLIENT_GONE : EndReason.BACKEND_GONE;
        }
        TunnelEnd other = other(closed);
        if (!other.closed) {
            other.closeAfterWrites();
            armCut();
            return;
        }
        finish();
    }

    /** The gateway ends the tunnel: close frames 1001 to both ends, each between two frames. */
    private void goAway(EndReason why) {
        if (reason != null || ended) {
            return;
        }
        reason = why;
        requestClose(client);
        requestClose(backend);
        armCut();
    }

    private void requestClose(TunnelEnd to) {
        TunnelEnd from = other(to);
        if (to.closed || to.closeInjected || from.frames.sawClose()) {
            return; // gone, or a close of the other end's own is passed on already
        }
        if (from.frames.atFrameBoundary()) {
            inject(to);
        } else {
            to.injectPending = true;
        }
    }

    private void inject(TunnelEnd to) {
        to.injectPending = false;
        to.closeInjected = true;
        String text = reason.closeText();
        to.write(to == client ? CloseFrames.toClient(to.channel().alloc(), CloseFrames.GOING_AWAY, text)
                : CloseFrames.toBackend(to.channel().alloc(), CloseFrames.GOING_AWAY, text));
        to.flush();
        other(to).autoRead(true); // what it sends from now on is dropped, so reading it costs no memory
    }

    /** A connection that both sent a close frame and was sent one has nothing left to say: it is closed. */
    private void closeFinishedHandshakes() {
        closeIfDone(client);
        closeIfDone(backend);
    }

    private void closeIfDone(TunnelEnd end) {
        TunnelEnd other = other(end);
        boolean sent = end.frames.sawClose() && end.frames.atFrameBoundary();
        boolean received = end.closeInjected || other.frames.sawClose() && other.frames.atFrameBoundary();
        if (sent && received && !end.closed) {
            if (reason == null) {
                reason = closeInitiator();
            }
            end.closeAfterWrites();
            armCut();
        }
    }

    private EndReason closeInitiator() {
        return firstToClose == client ? EndReason.CLIENT_CLOSE : EndReason.BACKEND_CLOSE;
    }

    /** Bounds the wait for a close handshake and the sockets' ends. */
    private void armCut() {
        if (cutTimer == null && !ended) {
            cutTimer = loop.schedule(() -> cut(reason), CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void cut(EndReason why) {
        if (reason == null) {
            reason = why;
        }
        client.closeNow();
        backend.closeNow();
    }

    private void checkIdle() {
        long idle = limits.idleTimeout().toNanos();
        long quiet = now() - lastActivity;
        if (quiet >= idle) {
            goAway(EndReason.IDLE_TIMEOUT);
        } else if (!ended) {
            idleTimer = loop.schedule(this::checkIdle, idle - quiet, TimeUnit.NANOSECONDS);
        }
    }

    private void finish() {
        if (ended) {
            return;
        }
        ended = true;
        cancel(idleTimer);
        cancel(lifetimeTimer);
        cancel(cutTimer);
        ending.ended(reason, client.bytesRead, backend.bytesRead);
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private TunnelEnd other(TunnelEnd end) {
        return end == client ? backend : client;
    }

    private long now() {
        return loop.ticker().nanoTime();
    }
}
