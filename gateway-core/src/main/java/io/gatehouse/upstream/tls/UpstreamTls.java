package io.gatehouse.upstream.tls;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.UpstreamProtocol;
import io.gatehouse.config.UpstreamTlsConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;

/**
 * The client {@link SslContext} of one pool's {@code https://} backends, built once from its {@link UpstreamTlsConfig}
 * when the configuration is installed and shared by every event loop and the pool's health checks. Verification is on
 * unless {@code insecure_skip_verify}: the chain against {@code ca} (or the JVM's trust store) and the name
 * ({@code server_name}, else the backend's host; an IP literal is checked against the certificate's IP addresses).
 * Uses the OpenSSL engine (BoringSSL) when it loads, the JDK's otherwise. For a pool with {@code protocol: h2} ALPN
 * offers h2 and http/1.1; a backend that picks http/1.1 is refused after the handshake ({@link AlpnRefusedException}):
 * offering it lets such a backend finish the handshake, so that the log can say what it chose.
 */
public final class UpstreamTls {
    private static final Logger log = LoggerFactory.getLogger(UpstreamTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final UpstreamTlsConfig config;
    private final SslContext context;

    private UpstreamTls(UpstreamTlsConfig config, SslContext context) {
        this.config = config;
        this.context = context;
    }

    /**
     * Builds the context of {@code pool}; with {@code insecure_skip_verify} it logs a WARN naming the pool.
     *
     * @param protocol the pool's {@code protocol}: h2 has the handshake negotiate it with ALPN
     * @throws ConfigException naming the pool's {@code tls} when the engine refuses the material
     */
    public static UpstreamTls create(String pool, UpstreamTlsConfig config, UpstreamProtocol protocol) {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols(PROTOCOLS);
        if (protocol == UpstreamProtocol.H2) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
        }
        if (config.insecureSkipVerify()) {
            log.warn("pool {}: insecure_skip_verify is on: the backends' TLS certificates are not verified, so "
                    + "anyone on the path can read and change its traffic; use it for development only", pool);
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            builder.endpointIdentificationAlgorithm("HTTPS");
            if (config.trusted() != null) {
                builder.trustManager(config.trusted().toArray(X509Certificate[]::new));
            }
        }
        if (config.clientCertificate() != null) {
            builder.keyManager(config.clientCertificate().key(),
                    config.clientCertificate().chain().toArray(X509Certificate[]::new));
        }
        try {
            return new UpstreamTls(config, builder.build());
        } catch (SSLException | RuntimeException e) {
            throw new ConfigException("pools." + pool + ".tls: the TLS engine refused these settings: "
                    + e.getMessage());
        }
    }

    /**
     * The handler that opens a TLS connection to a backend, first in its pipeline. SNI is {@code server_name} or
     * {@code host}, except that an IP literal is never sent as SNI (RFC 6066); the certificate is verified for the
     * same name.
     *
     * @param handshakeTimeoutMillis the handshake fails with {@link TlsFailure#HANDSHAKE_TIMEOUT} after this
     */
    public SslHandler newHandler(ByteBufAllocator alloc, String host, int port, long handshakeTimeoutMillis) {
        String peer = config.serverName() != null ? config.serverName() : host;
        SslHandler handler = context.newHandler(alloc, peer, port);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }
}
