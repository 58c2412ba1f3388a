package io.gatehouse.bench;

import io.gatehouse.testing.WebSocketBackend;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The WebSocket figure of bench/websocket.sh: echoed messages per second over N connections, each keeping W small
 * text messages in flight, straight to a Netty echo backend and through a gateway in front of it, in one run.
 *
 * <pre>
 * WebSocketEchoLoad BACKEND_PORT GATEWAY_PORT CONNECTIONS WINDOW SECONDS MESSAGE_BYTES ROUNDS
 * </pre>
 * It starts the backend itself on BACKEND_PORT (the gateway, started before, routes /ws to it with websocket on)
 * and prints one markdown row per target and round, the targets alternating, so that neither gets all the
 * warm-up (the JIT of this tool, of the backend and of the gateway).
 */
public final class WebSocketEchoLoad {
    private WebSocketEchoLoad() {}

    public static void main(String[] args) throws Exception {
        int backendPort = Integer.parseInt(args[0]);
        int gatewayPort = Integer.parseInt(args[1]);
        int connections = Integer.parseInt(args[2]);
        int window = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        String message = "x".repeat(Integer.parseInt(args[5]));
        int rounds = Integer.parseInt(args[6]);
        try (WebSocketBackend backend = new WebSocketBackend(backendPort, false)) {
            awaitPort(gatewayPort);
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                System.out.println("| round | target | connections | in flight each | messages/s |");
                System.out.println("| --- | --- | --- | --- | --- |");
                for (int round = 1; round <= rounds; round++) {
                    for (String[] target : new String[][] {{"backend direct", "" + backendPort},
                            {"through Gatehouse", "" + gatewayPort}}) {
                        double rate = run(group, Integer.parseInt(target[1]), connections, window, seconds, message);
                        System.out.printf("| %d | %s | %d | %d | %,.0f |%n", round, target[0], connections, window,
                                rate);
                    }
                }
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }

    private static double run(EventLoopGroup group, int port, int connections, int window, int seconds,
                              String message) throws Exception {
        LongAdder echoed = new LongAdder();
        CountDownLatch open = new CountDownLatch(connections);
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws/load");
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            channels.add(new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                                    new WebSocketClientProtocolHandler(uri, WebSocketVersion.V13, null, false,
                                            new DefaultHttpHeaders(), 65536),
                                    new Echoes(open, echoed, window, message));
                        }
                    }).connect("127.0.0.1", port).sync().channel());
        }
        if (!open.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not every WebSocket opened on port " + port);
        }
        long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < warm) {
            Thread.sleep(50); // the load tool's own thread, not an event loop: a warm-up second
        }
        long before = echoed.sum();
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        double rate = (echoed.sum() - before) / ((System.nanoTime() - start) / 1e9);
        for (Channel channel : channels) {
            channel.close().sync();
        }
        return rate;
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Socket ignored = new Socket()) {
                ignored.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nothing listens on port " + port);
    }

    /** Keeps {@code window} messages in flight: each echo sends the next one. */
    private static final class Echoes extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final CountDownLatch open;
        private final LongAdder echoed;
        private final int window;
        private final String message;
        private boolean greeted;

        Echoes(CountDownLatch open, LongAdder echoed, int window, String message) {
            this.open = open;
            this.echoed = echoed;
            this.window = window;
            this.message = message;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                for (int i = 0; i < window; i++) {
                    ctx.write(new TextWebSocketFrame(message));
                }
                ctx.flush();
                open.countDown();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            if (!greeted) {
                greeted = true; // the backend's hello
                return;
            }
            echoed.increment();
            ctx.write(new TextWebSocketFrame(message));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset while the run closes its connections
        }
    }
}
