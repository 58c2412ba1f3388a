package io.gatehouse.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that connect while the event loop is busy are all taken in at its next turn. Before, the epoll listener
 * accepted one connection per turn: under load a burst of 1,000 clients waited seconds in the kernel's queue.
 */
class ListenerBootstrapTest {
    private static final int CLIENTS = 100;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyWaitingConnectionIsAcceptedInOneTurnOfTheLoop(Transport transport) throws Exception {
        Assumptions.assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "no native epoll here");
        EventLoopGroup group = transport.newGroup(1);
        List<Socket> clients = new ArrayList<>();
        try {
            EventLoop loop = group.next();
            AtomicInteger accepted = new AtomicInteger();
            CompletableFuture<Integer> acceptedInFirstTurn = new CompletableFuture<>();
            Channel listener = ListenerBootstrap.create(group, transport)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel child) {
                            if (accepted.incrementAndGet() == 1) {
                                // Runs after the I/O of this turn: counts what that turn accepted.
                                loop.execute(() -> acceptedInFirstTurn.complete(accepted.get()));
                            }
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();

            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                busy.countDown();
                awaitQuietly(release); // stands for a loop busy serving other connections
            });
            assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(new Socket("127.0.0.1", port)); // the kernel completes the handshake; it waits to be accepted
            }
            release.countDown();

            assertThat(acceptedInFirstTurn.get(10, TimeUnit.SECONDS)).isEqualTo(CLIENTS);
            listener.close().sync();
        } finally {
            for (Socket client : clients) {
                client.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
