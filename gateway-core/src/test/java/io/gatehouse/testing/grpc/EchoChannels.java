package io.gatehouse.testing.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java client channels to 127.0.0.1 (netty-shaded): cleartext HTTP/2 with prior knowledge, or TLS trusting one
 * CA. grpc-java's own retries are off, so every retry a test sees is the gateway's.
 */
public final class EchoChannels {
    private EchoChannels() {}

    public static ManagedChannel plaintext(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().disableRetry().build();
    }

    /** @param authority the name the server certificate must carry, e.g. localhost */
    public static ManagedChannel tls(int port, X509Certificate trustedCa, String authority) {
        try {
            return NettyChannelBuilder.forAddress("127.0.0.1", port)
                    .overrideAuthority(authority)
                    .sslContext(GrpcSslContexts.forClient().trustManager(trustedCa).build())
                    .disableRetry()
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void close(ManagedChannel channel) {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
