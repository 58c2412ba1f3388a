package io.gatehouse.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.SslContext;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;


/**
 * An HTTP/2 client at the frame level, built from Netty's frame reader and writer with none of a client codec's
 * checks, so a test can send what a well-behaved client never would: resets as fast as it can, endless
 * CONTINUATION frames, more streams than the server allows, a header list over its limit. It records every frame
 * the server sends ({@link #events()}) and acknowledges the server's SETTINGS as a client must. Every write runs on
 * the client's event loop, in the order asked.
 */
public final class H2FrameClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A frame from the server. */
    public sealed interface Event permits Settings, Headers, Data, Reset, GoAway, WindowUpdate, PingAck {}

    public record Settings(Http2Settings settings) implements Event {}

    public record Headers(int streamId, Http2Headers headers, boolean endStream) implements Event {}

    public record Data(int streamId, String text, boolean endStream) implements Event {}

    public record Reset(int streamId, long errorCode) implements Event {}

    public record GoAway(int lastStreamId, long errorCode) implements Event {}

    public record WindowUpdate(int streamId, int increment) implements Event {}

    public record PingAck(long data) implements Event {}

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Event> events = new ArrayList<>();
    private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    private final Channel channel;
    private volatile ChannelHandlerContext ctx;

    private H2FrameClient(int port, SslContext tls, Http2Settings settings, int connectionWindowIncrement) {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), "api.test", port));
                        }
                        ch.pipeline().addLast(new FrameRecorder());
                    }
                });
        channel = bootstrap.connect("127.0.0.1", port).syncUninterruptibly().channel();
        onLoop(c -> {
            c.write(Http2CodecUtil.connectionPrefaceBuf());
            writer.writeSettings(c, settings, c.newPromise());
            if (connectionWindowIncrement > 0) {
                writer.writeWindowUpdate(c, 0, connectionWindowIncrement, c.newPromise());
            }
        });
    }

    /** h2c with prior knowledge: the preface and an empty SETTINGS at once. */
    public static H2FrameClient connect(int port) {
        return new H2FrameClient(port, null, new Http2Settings(), 0);
    }

    /**
     * h2c with prior knowledge, announcing {@code settings} (e.g. a small initial window: the client reads a stream's
     * body only as fast as {@link #windowUpdate} allows) and raising the connection window by
     * {@code connectionWindowIncrement}.
     */
    public static H2FrameClient connect(int port, Http2Settings settings, int connectionWindowIncrement) {
        return new H2FrameClient(port, null, settings, connectionWindowIncrement);
    }

    /** h2 over TLS: {@code tls} must offer h2 by ALPN (the preface follows the handshake). */
    public static H2FrameClient connect(int port, SslContext tls) {
        return new H2FrameClient(port, tls, new Http2Settings(), 0);
    }

    /** A GET of {@code path} with the pseudo-headers a request needs. */
    public static Http2Headers get(String path) {
        return new DefaultHttp2Headers().method("GET").scheme("http").authority("gateway.test").path(path);
    }

    /** A POST of {@code path}; its body follows in DATA frames. */
    public static Http2Headers post(String path) {
        return new DefaultHttp2Headers().method("POST").scheme("http").authority("gateway.test").path(path);
    }

    /** A DATA frame of {@code text} on {@code streamId}. */
    public void data(int streamId, String text, boolean endStream) {
        onLoop(c -> writer.writeData(c, streamId, Unpooled.copiedBuffer(text, java.nio.charset.StandardCharsets.UTF_8),
                0, endStream, c.newPromise()));
    }

    public void headers(int streamId, Http2Headers headers, boolean endStream) {
        onLoop(c -> writer.writeHeaders(c, streamId, headers, 0, endStream, c.newPromise()));
    }

    /**
     * A PING, waiting for its acknowledgement: the server has read every frame sent before it (it reads in order).
     */
    public void sync() {
        long data = System.nanoTime();
        onLoop(c -> writer.writePing(c, false, data, c.newPromise()));
        await(PingAck.class, ack -> ack.data() == data);
    }

    /** Lets the server send {@code increment} more bytes on {@code streamId} (0: the connection). */
    public void windowUpdate(int streamId, int increment) {
        onLoop(c -> writer.writeWindowUpdate(c, streamId, increment, c.newPromise()));
    }

    /** The body bytes received so far on {@code streamId}. */
    public long bodyBytes(int streamId) {
        return events().stream().filter(e -> e instanceof Data d && d.streamId() == streamId)
                .mapToLong(e -> ((Data) e).text().length()).sum();
    }

    public void reset(int streamId, Http2Error error) {
        onLoop(c -> writer.writeRstStream(c, streamId, error.code(), c.newPromise()));
    }

    /** Rapid Reset: {@code count} streams from {@code firstStreamId} on, each opened and reset at once, one flush. */
    public void openAndReset(int firstStreamId, int count) {
        onLoop(c -> openAndReset(c, firstStreamId, count));
    }

    private void openAndReset(ChannelHandlerContext c, int firstStreamId, int count) {
        for (int i = 0; i < count && c.channel().isActive(); i++) {
            int stream = firstStreamId + 2 * i;
            writer.writeHeaders(c, stream, get("/"), 0, false, c.newPromise());
            writer.writeRstStream(c, stream, Http2Error.CANCEL.code(), c.newPromise());
        }
    }

    /**
     * Rapid Reset as an attacker does it: batches of 100 streams opened and reset, flushed one after the other, for as
     * long as the connection stays open (at most {@code bound}, a safety net for a test that fails).
     */
    public void rapidResetUntilClosed(Duration bound) {
        long end = System.nanoTime() + bound.toNanos();
        int stream = 1;
        while (channel.isActive() && System.nanoTime() < end) {
            int first = stream;
            onLoop(c -> openAndReset(c, first, 100));
            stream += 200;
        }
    }

    /**
     * A HEADERS frame without END_HEADERS for {@code streamId} (a small, valid start of a header block), then
     * {@code count} CONTINUATION frames of {@code size} bytes each, none ending the block, as long as the connection
     * is open.
     */
    public void continuation(int streamId, int count, int size) {
        onLoop(c -> c.write(frame(c, Http2FrameTypes.HEADERS, streamId, new byte[] {(byte) 0x82}))); // :method GET
        byte[] payload = new byte[size];
        java.util.Arrays.fill(payload, (byte) 0x82);
        for (int sent = 0; sent < count && channel.isActive(); sent += 64) {
            int batch = Math.min(64, count - sent);
            onLoop(c -> {
                for (int i = 0; i < batch; i++) {
                    c.write(frame(c, Http2FrameTypes.CONTINUATION, streamId, payload));
                }
            });
        }
    }

    private static ByteBuf frame(ChannelHandlerContext c, byte type, int streamId, byte[] payload) {
        ByteBuf out = c.alloc().buffer(Http2CodecUtil.FRAME_HEADER_LENGTH + payload.length);
        Http2CodecUtil.writeFrameHeader(out, payload.length, type, new Http2Flags(), streamId);
        return out.writeBytes(payload);
    }

    /** Runs {@code write} on the event loop with the recorder's context, then flushes. */
    private void onLoop(Consumer<ChannelHandlerContext> write) {
        channel.eventLoop().submit(() -> {
            write.accept(ctx);
            ctx.flush();
        }).syncUninterruptibly();
    }

    /** Every frame received so far, in order. */
    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The first event matching {@code match}, waiting up to 10 s for it. */
    public <T extends Event> T await(Class<T> type, Predicate<T> match) {
        return Awaitility.await().atMost(WAIT).until(() -> events().stream().filter(type::isInstance).map(type::cast)
                .filter(match).findFirst().orElse(null), found -> found != null);
    }

    public <T extends Event> T await(Class<T> type) {
        return await(type, any -> true);
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Waits up to 10 s for the server to close the connection. */
    public void awaitClosed() {
        channel.closeFuture().awaitUninterruptibly(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (channel.isOpen()) {
            throw new AssertionError("the server did not close the connection within " + WAIT);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        writer.close();
    }

    private void record(Event event) {
        synchronized (events) {
            events.add(event);
        }
    }

    /** Reads the server's frames and records them. */
    private final class FrameRecorder extends ByteToMessageDecoder {
        private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(false);

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            H2FrameClient.this.ctx = ctx;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Http2Exception {
            reader.readFrame(ctx, in, new Http2FrameAdapter() {
                @Override
                public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
                    record(new Settings(settings));
                    writer.writeSettingsAck(ctx, ctx.newPromise());
                    ctx.flush();
                }

                @Override
                public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                                          int padding, boolean endStream) {
                    record(new Headers(streamId, headers, endStream));
                }

                @Override
                public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                                          int dependency, short weight, boolean exclusive, int padding,
                                          boolean endStream) {
                    record(new Headers(streamId, headers, endStream));
                }

                @Override
                public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
                                      boolean endOfStream) {
                    record(new Data(streamId, data.toString(java.nio.charset.StandardCharsets.UTF_8), endOfStream));
                    return data.readableBytes() + padding;
                }

                @Override
                public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
                    record(new Reset(streamId, errorCode));
                }

                @Override
                public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode,
                                         ByteBuf debugData) {
                    record(new GoAway(lastStreamId, errorCode));
                }

                @Override
                public void onPingAckRead(ChannelHandlerContext ctx, long data) {
                    record(new PingAck(data));
                }

                @Override
                public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int increment) {
                    record(new WindowUpdate(streamId, increment));
                }
            });
        }

        @Override
        protected void handlerRemoved0(ChannelHandlerContext ctx) {
            reader.close();
        }
    }
}
