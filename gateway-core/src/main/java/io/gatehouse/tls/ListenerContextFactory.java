package io.gatehouse.tls;

import io.gatehouse.config.TlsConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Makes the TLS listener's context for each certificate: the engine of {@link TlsEngine}, the configured protocols
 * and suites, ALPN, client authentication and session tickets ({@link SessionTicketKeys}).
 *
 * <p>ALPN offers {@link #ALPN_PROTOCOLS}, {@code h2} first, or only {@code http/1.1} with
 * {@code server.http2.enabled: false}; the pipeline reads the negotiated protocol after the handshake
 * ({@link io.gatehouse.server.http2.AlpnSwitch}). A client that offers no protocol we speak gets no ALPN answer and
 * carries on with HTTP/1.1, as OpenSSL allows.
 */
final class ListenerContextFactory implements ServerContextFactory {
    static final List<String> ALPN_PROTOCOLS = List.of(ApplicationProtocolNames.HTTP_2,
            ApplicationProtocolNames.HTTP_1_1);
    /** How long the engine's own session cache keeps a session: about the life of a ticket key. */
    private static final long SESSION_TIMEOUT_SECONDS = SessionTicketKeys.ROTATION.toSeconds();

    private final TlsConfig tls;
    private final ClientCertificateTrust clientTrust;
    private final SessionTicketKeys ticketKeys;
    private final SslProvider engine;
    private final List<String> alpn;

    /**
     * @param engine {@link TlsEngine#provider()}; tests pass the JDK's to check the fallback
     * @param http2  {@code server.http2.enabled}: whether ALPN offers {@code h2}
     */
    ListenerContextFactory(TlsConfig tls, ClientCertificateTrust clientTrust, SessionTicketKeys ticketKeys,
                           SslProvider engine, boolean http2) {
        this.tls = tls;
        this.clientTrust = clientTrust;
        this.ticketKeys = ticketKeys;
        this.engine = engine;
        this.alpn = http2 ? ALPN_PROTOCOLS : List.of(ApplicationProtocolNames.HTTP_1_1);
    }

    @Override
    public SslContext create(KeyMaterial material) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(material.key(),
                        material.chain().toArray(new X509Certificate[0]))
                .sslProvider(engine)
                .protocols(tls.protocols())
                .ciphers(tls.ciphers().suites(), IdentityCipherSuiteFilter.INSTANCE)
                .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        switch (clientTrust.mode()) {
            case NONE -> builder.clientAuth(ClientAuth.NONE);
            case OPTIONAL -> builder.clientAuth(ClientAuth.OPTIONAL).trustManager(clientTrust.engineTrust());
            case REQUIRED -> builder.clientAuth(ClientAuth.REQUIRE).trustManager(clientTrust.engineTrust());
        }
        SslContext context = builder.build();
        ticketKeys.manage(context);
        return context;
    }
}
