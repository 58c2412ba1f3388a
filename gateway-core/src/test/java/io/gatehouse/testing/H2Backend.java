package io.gatehouse.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/2 backend on 127.0.0.1 written with Netty's frame codec: cleartext with prior knowledge (h2c), or over
 * TLS with the ALPN protocols given (h2, or http/1.1 only to play a backend without HTTP/2, which then answers
 * HTTP/1.1 requests with 200 "http/1.1"). What each path answers
 * is in {@link H2BackendStream}. It counts connections and open streams (overall and the most any one connection
 * carried at once), records every request it processed, and can send a GOAWAY whose last-stream-id leaves streams it
 * already received unprocessed.
 */
public final class H2Backend implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    final AtomicInteger openStreams = new AtomicInteger();
    final AtomicInteger maxStreamsOnOneConnection = new AtomicInteger();
    final AtomicLong bytesWritten = new AtomicLong();
    /** One line per request answered: {@code METHOD path authority=... body=...}. */
    final Queue<String> processed = new ConcurrentLinkedQueue<>();
    /** Completed by {@link #releaseHeld()}: {@code /hold} answers then. */
    final CompletableFuture<Void> release = new CompletableFuture<>();
    private final AtomicBoolean goAwaySent = new AtomicBoolean();
    final AtomicBoolean refused = new AtomicBoolean();
    private volatile int goAwayAtStream = -1;
    private volatile int goAwayLastStreamId;
    private volatile Channel goAwayConnection;
    /** The {@code /hold} streams waiting for {@link #releaseHeld()}. */
    final Set<H2BackendStream> held = ConcurrentHashMap.newKeySet();

    private H2Backend(SslContext tls, Integer maxConcurrentStreams) throws InterruptedException {
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls == null) {
                            addHttp2(ch.pipeline(), maxConcurrentStreams);
                            return;
                        }
                        // As a real server: the protocol ALPN picked decides the pipeline, after the handshake.
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()),
                                new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                                    @Override
                                    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                                        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                                            addHttp2(ctx.pipeline(), maxConcurrentStreams);
                                        } else {
                                            ctx.pipeline().addLast(new HttpServerCodec(), new Http11Answer());
                                        }
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    private void addHttp2(ChannelPipeline pipeline, Integer maxConcurrentStreams) {
        Http2Settings settings = Http2Settings.defaultSettings();
        if (maxConcurrentStreams != null) {
            settings.maxConcurrentStreams(maxConcurrentStreams);
        }
        AtomicInteger onThisConnection = new AtomicInteger();
        pipeline.addLast(Http2FrameCodecBuilder.forServer().initialSettings(settings).build(),
                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(new H2BackendStream(H2Backend.this, onThisConnection));
                    }
                }), new ConnectionCounter());
    }

    /** Cleartext HTTP/2 with prior knowledge; {@code maxConcurrentStreams} null for no limit. */
    public static H2Backend h2c(Integer maxConcurrentStreams) throws InterruptedException {
        return new H2Backend(null, maxConcurrentStreams);
    }

    /** Over TLS with {@code certificate}, offering exactly {@code alpn} (e.g. "h2", or "http/1.1" only). */
    public static H2Backend tls(TestPki.Issued certificate, String... alpn) throws InterruptedException {
        try {
            SslContext context = SslContextBuilder.forServer(certificate.key(), certificate.certificate(),
                            certificate.issuer())
                    .sslProvider(SslProvider.JDK)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn))
                    .build();
            return new H2Backend(context, null);
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Connections open now. */
    public int openConnections() {
        return openConnections.get();
    }

    /** Streams open now, on all connections. */
    public int openStreams() {
        return openStreams.get();
    }

    /** The most streams one connection had open at the same time. */
    public int maxStreamsOnOneConnection() {
        return maxStreamsOnOneConnection.get();
    }

    /** Body bytes written to responses so far ({@code /download}). */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** Every request answered so far, one line each. */
    public List<String> processed() {
        return List.copyOf(processed);
    }

    /** Lets every {@code /hold} request, waiting or still to come, be answered. */
    public void releaseHeld() {
        release.complete(null);
    }

    /**
     * When the stream with id {@code streamId} arrives (once, on whichever connection gets there first), sends a GOAWAY
     * with {@code lastStreamId}: the streams above it on that connection, received or still to come, are dropped
     * unanswered. (The frame is written past the codec's own GOAWAY handling, which would end the connection with a
     * PROTOCOL_ERROR when the DATA of a stream it ignored arrives; a real server drops such frames.)
     */
    public void goAwayAt(int streamId, int lastStreamId) {
        this.goAwayLastStreamId = lastStreamId;
        this.goAwayAtStream = streamId;
    }

    /** Called by a stream as its request head arrives: sends the GOAWAY if this is the stream it waits for. */
    void streamArrived(Http2StreamChannel stream) {
        if (stream.stream().id() != goAwayAtStream || !goAwaySent.compareAndSet(false, true)) {
            return;
        }
        goAwayConnection = stream.parent();
        ChannelHandlerContext codecCtx = goAwayConnection.pipeline().context(Http2FrameCodec.class);
        Http2FrameCodec codec = (Http2FrameCodec) codecCtx.handler();
        codec.encoder().frameWriter().writeGoAway(codecCtx, goAwayLastStreamId, Http2Error.NO_ERROR.code(),
                Unpooled.EMPTY_BUFFER, codecCtx.newPromise());
        codecCtx.flush();
    }

    /** Whether a stream is above the last-stream-id of the GOAWAY its connection sent: never to be answered. */
    boolean isDropped(Http2StreamChannel stream) {
        return stream.parent() == goAwayConnection && stream.stream().id() > goAwayLastStreamId;
    }

    /** {@code /hold} requests received in full (and not dropped by a GOAWAY) that wait for {@link #releaseHeld()}. */
    public int held() {
        return (int) held.stream().filter(stream -> !stream.isDropped()).count();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** What a server without HTTP/2 answers, when ALPN picked http/1.1: 200 "http/1.1" to every request. */
    private static final class Http11Answer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof LastHttpContent) {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("http/1.1", StandardCharsets.US_ASCII));
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                ctx.writeAndFlush(response);
            }
            ReferenceCountUtil.release(msg);
        }
    }

    /** Counts connections; drops the connection-level frames it sees (SETTINGS, PING, GOAWAY). */
    private final class ConnectionCounter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connections.incrementAndGet();
            openConnections.incrementAndGet();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            openConnections.decrementAndGet();
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
