package io.gatehouse.bench;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The backend of bench/grpc.sh: a grpc-java server (its shaded Netty, cleartext HTTP/2) with {@link GrpcEcho}'s
 * unary echo on 127.0.0.1.
 *
 * <pre>
 * GrpcEchoServer PORT
 * </pre>
 * It runs until the process is stopped (SIGTERM), then lets the calls in progress finish for a second.
 */
public final class GrpcEchoServer implements AutoCloseable {
    private final Server server;

    /** Starts the server; {@code port} 0 picks a free one ({@link #port()}). */
    GrpcEchoServer(int port) throws IOException {
        // The echo never blocks, so it runs on the transport's threads, as grpc-java's own benchmarks do.
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .directExecutor()
                .addService(GrpcEcho.service())
                .build()
                .start();
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: GrpcEchoServer PORT");
            System.exit(2);
        }
        GrpcEchoServer echo = new GrpcEchoServer(Integer.parseInt(args[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                echo.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("gRPC echo server listening on 127.0.0.1:" + echo.port());
        echo.server.awaitTermination();
    }
}
