package io.gatehouse.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real WebSocket server for tests, on Netty's {@link WebSocketServerProtocolHandler} at {@code /ws} (subprotocol
 * {@code chat} offered): it echoes every data frame, sends {@code hello} right after its 101, and on the text
 * {@code close-me} closes with 4001 "bye". Under {@code /ws/sink} it echoes nothing and only counts the raw bytes
 * (frames with their headers) it received. Any other path gets a 404. It can stop reading ({@link #pause}) to test
 * backpressure.
 */
public final class WebSocketBackend implements AutoCloseable {
    private static final int MAX_FRAME = 32 << 20;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel server;
    /** The handshake requests' headers, in order. */
    public final List<HttpHeaders> handshakes = new CopyOnWriteArrayList<>();
    /** The close codes the backend received, in order. */
    public final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    public final AtomicLong sunkBytes = new AtomicLong();
    private volatile boolean paused;

    public WebSocketBackend() throws InterruptedException {
        this(0, false);
    }

    /**
     * On {@code port} of 127.0.0.1 (0: any free one); with {@code deflate} it accepts the permessage-deflate
     * extension a client offers.
     */
    public WebSocketBackend(int port, boolean deflate) throws InterruptedException {
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws").checkStartsWith(true).subprotocols("chat").handleCloseFrames(false)
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_FRAME)
                        .allowExtensions(true).build())
                .build();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        open.add(ch);
                        ch.config().setAutoRead(!paused);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536));
                        if (deflate) {
                            ch.pipeline().addLast(new WebSocketServerCompressionHandler(MAX_FRAME));
                        }
                        ch.pipeline().addLast(new WebSocketServerProtocolHandler(config), new Frames());
                    }
                }).bind("127.0.0.1", port).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Stops reading every connection (and new ones): a backend that takes nothing. */
    public void pause() {
        paused = true;
        open.forEach(ch -> ch.config().setAutoRead(false));
    }

    public void resume() {
        paused = false;
        open.forEach(ch -> ch.config().setAutoRead(true));
    }

    /** Closes every connection abruptly, without a close frame. */
    public void dropConnections() {
        open.close().awaitUninterruptibly();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        open.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private final class Frames extends SimpleChannelInboundHandler<Object> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                handshakes.add(done.requestHeaders());
                ctx.writeAndFlush(new TextWebSocketFrame("hello"));
                if (done.requestUri().startsWith("/ws/sink")) {
                    // Counts raw bytes, not frames: unmasking megabytes under paranoid leak detection is slow.
                    ChannelHandler decoder = null;
                    for (Map.Entry<String, ChannelHandler> entry : ctx.pipeline()) {
                        if (entry.getValue() instanceof WebSocketFrameDecoder) {
                            decoder = entry.getValue();
                        }
                    }
                    ctx.pipeline().replace(decoder, "sink", new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext sinkCtx, Object msg) {
                            sunkBytes.addAndGet(((ByteBuf) msg).readableBytes());
                            ((ByteBuf) msg).release();
                        }
                    });
                }
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that reset its connection
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest) {
                DefaultFullHttpResponse notFound = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.NOT_FOUND,
                        Unpooled.copiedBuffer("no websocket here", StandardCharsets.UTF_8));
                notFound.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, notFound.content().readableBytes());
                ctx.writeAndFlush(notFound);
                return;
            }
            WebSocketFrame frame = (WebSocketFrame) msg;
            if (frame instanceof CloseWebSocketFrame close) {
                closeCodes.add(close.statusCode());
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), close.reasonText()))
                        .addListener(f -> ctx.close());
            } else if (frame instanceof TextWebSocketFrame text && text.text().equals("close-me")) {
                ctx.writeAndFlush(new CloseWebSocketFrame(4001, "bye"));
            } else if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame) {
                ctx.writeAndFlush(frame.retain());
            }
        }
    }
}
