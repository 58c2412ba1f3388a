package io.gatehouse.tls;

import io.gatehouse.config.TlsConfig;
import io.gatehouse.testing.TestPki;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener's contexts on both engines (the OpenSSL one used when it loads, and the JDK fallback): each
 * profile's protocol is negotiated with ALPN's h2 (http/1.1 with HTTP/2 off), and a client offering only TLS 1.2 is
 * refused by modern.
 */
class ListenerContextFactoryTest {
    private static final TestPki.Authority CA = TestPki.authority("Factory CA");
    private static final TestPki.Issued SERVER = CA.server("api.test");

    private static SslContext serverContext(SslProvider engine, String profile, List<String> protocols)
            throws Exception {
        return serverContext(engine, profile, protocols, true);
    }

    private static SslContext serverContext(SslProvider engine, String profile, List<String> protocols,
                                            boolean http2) throws Exception {
        TlsConfig tls = new TlsConfig(0, List.of(), 0, protocols, new TlsConfig.Ciphers(profile, List.of()),
                TlsConfig.ClientAuth.NONE, null, Duration.ofSeconds(10));
        return new ListenerContextFactory(tls, ClientCertificateTrust.of(TlsConfig.ClientAuth.NONE),
                new SessionTicketKeys(), engine, http2)
                .create(new KeyMaterial("api", SERVER.key(), List.of(SERVER.certificate())));
    }

    private static SslHandler handshake(SslContext server, String clientProtocol) throws Exception {
        SslContext clientContext = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(CA.certificate()).protocols(clientProtocol)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2", "http/1.1"))
                .build();
        EmbeddedChannel serverChannel = new EmbeddedChannel(server.newHandler(ByteBufAllocator.DEFAULT));
        SslHandler clientHandler = clientContext.newHandler(ByteBufAllocator.DEFAULT, "api.test", 443);
        EmbeddedChannel clientChannel = new EmbeddedChannel(clientHandler);
        try {
            for (int round = 0; round < 10 && !clientHandler.handshakeFuture().isDone(); round++) {
                shuttle(clientChannel, serverChannel);
                shuttle(serverChannel, clientChannel);
            }
            return clientHandler;
        } catch (DecoderException refused) {
            return clientHandler; // a side that refused the handshake rethrows here; its future has failed
        } finally {
            serverChannel.finishAndReleaseAll();
            clientChannel.finishAndReleaseAll();
        }
    }

    private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf bytes;
        while ((bytes = from.readOutbound()) != null) {
            if (to.isActive()) {
                to.writeInbound(bytes);
            } else {
                bytes.release();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void intermediateNegotiatesTls13And12WithAlpn(SslProvider engine) throws Exception {
        SslContext server = serverContext(engine, "intermediate", List.of("TLSv1.3", "TLSv1.2"));
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            SslHandler client = handshake(server, protocol);

            assertThat(client.handshakeFuture().isSuccess()).as(engine + " " + protocol).isTrue();
            assertThat(client.engine().getSession().getProtocol()).isEqualTo(protocol);
            assertThat(client.applicationProtocol()).isEqualTo("h2");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void withoutHttp2AlpnPicksHttp11(SslProvider engine) throws Exception {
        SslContext server = serverContext(engine, "intermediate", List.of("TLSv1.3", "TLSv1.2"), false);

        SslHandler client = handshake(server, "TLSv1.3");

        assertThat(client.handshakeFuture().isSuccess()).isTrue();
        assertThat(client.applicationProtocol()).isEqualTo("http/1.1");
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void modernRefusesTls12(SslProvider engine) throws Exception {
        SslContext server = serverContext(engine, "modern", List.of("TLSv1.3"));

        assertThat(handshake(server, "TLSv1.3").handshakeFuture().isSuccess()).isTrue();
        SslHandler refused = handshake(server, "TLSv1.2");
        assertThat(refused.handshakeFuture().isDone() && !refused.handshakeFuture().isSuccess())
                .as(engine + " refuses TLS 1.2").isTrue();
    }
}
