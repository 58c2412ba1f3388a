package io.gatehouse.tls;

import io.gatehouse.config.TlsConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.metrics.TlsHandshakeCounters;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SniHandler;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The TLS side of the HTTPS listener, made once at start: the certificates (SNI mapping, watched by
 * {@link ServerCertificates}), their contexts, the client CA, and the session ticket keys with their rotation.
 * {@link #configure} puts the TLS handlers at the front of each accepted connection's pipeline:
 * <pre>
 *   PlainHttpRefusal   plain HTTP on this port: a plaintext 400, then close
 *   SniHandler         picks the certificate by SNI name, then replaces itself with the SslHandler
 *   HandshakeOutcome   counts the handshake's outcome; on success leaves the connection's ClientTls and goes
 * </pre>
 */
public final class EdgeTls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeTls.class);

    private final ServerCertificates certificates;
    private final ClientCertificateTrust clientTrust;
    private final TlsHandshakeCounters counters;
    private final ScheduledFuture<?> ticketRotation;

    private EdgeTls(ServerCertificates certificates, ClientCertificateTrust clientTrust,
                    TlsHandshakeCounters counters, ScheduledFuture<?> ticketRotation) {
        this.certificates = certificates;
        this.clientTrust = clientTrust;
        this.counters = counters;
        this.ticketRotation = ticketRotation;
    }

    /**
     * Reads the certificates and the client CA and makes the contexts.
     *
     * @param http2     {@code server.http2.enabled}: whether ALPN offers {@code h2}
     * @param metrics   where the handshake counters (and the certificates' meters) are registered
     * @param scheduler where the session ticket keys rotate (a cheap task once per {@link SessionTicketKeys#ROTATION})
     * @throws io.gatehouse.config.ConfigException naming the file and what is wrong with it
     */
    public static EdgeTls start(TlsConfig tls, boolean http2, GatewayMetrics metrics, EventExecutorGroup scheduler) {
        ClientCertificateTrust clientTrust = ClientCertificateTrust.of(tls.clientAuth());
        SessionTicketKeys ticketKeys = new SessionTicketKeys();
        ServerCertificates certificates = ServerCertificates.load(tls,
                new ListenerContextFactory(tls, clientTrust, ticketKeys, TlsEngine.provider(), http2), metrics,
                Clock.systemUTC());
        long period = SessionTicketKeys.ROTATION.toNanos();
        ScheduledFuture<?> rotation = scheduler.scheduleAtFixedRate(ticketKeys::rotate, period, period,
                TimeUnit.NANOSECONDS);
        log.info("TLS engine: {}; protocols {}, ciphers {}, client certificates {}", TlsEngine.description(),
                tls.protocols(), tls.ciphers(), tls.clientAuth().mode().name().toLowerCase(Locale.ROOT));
        return new EdgeTls(certificates, clientTrust, metrics.tlsHandshakes(), rotation);
    }

    /** Adds the TLS handlers to a new connection's pipeline, before the HTTP ones. */
    public void configure(ChannelPipeline pipeline, Duration handshakeTimeout) {
        pipeline.addLast("plain-http-refusal", new PlainHttpRefusal(counters));
        pipeline.addLast("sni", new SniHandler(certificates, handshakeTimeout.toMillis()));
        pipeline.addLast("tls-handshake", new HandshakeOutcome(counters, clientTrust));
    }

    @Override
    public void close() {
        ticketRotation.cancel(false);
        certificates.close();
    }
}
