package io.gatehouse.tls;

import io.netty.handler.ssl.SslContext;

import javax.net.ssl.SSLException;

/**
 * Makes the server {@link SslContext} for one certificate with the listener's settings (protocols, ciphers, ALPN,
 * client authentication, session tickets). {@link ServerCertificates} calls it at start and again for every
 * certificate that changes on disk.
 */
@FunctionalInterface
public interface ServerContextFactory {
    SslContext create(KeyMaterial material) throws SSLException;
}
