package io.gatehouse.config;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * {@code pools.NAME.tls}: how the gateway connects to a pool's {@code https://} backends. Every file is read when the
 * configuration is loaded, so two configurations are equal only when the files' contents are too, and a reload
 * notices a replaced CA or client certificate.
 *
 * @param ca                 {@code ca}: the PEM bundle backend certificates must chain to, or null for the JVM's
 *                           system trust store
 * @param trusted            the certificates read from {@code ca}; null with it
 * @param serverName         {@code server_name}: sent as SNI and verified instead of the backend's host, or null
 * @param clientCertificate  {@code client_certificate}: presented to backends that ask for one, or null
 * @param insecureSkipVerify {@code insecure_skip_verify}: no chain or hostname verification (development only)
 */
public record UpstreamTlsConfig(Path ca, List<X509Certificate> trusted, String serverName,
                                ClientCertificate clientCertificate, boolean insecureSkipVerify) {
    /** An https pool without a {@code tls:} block: the system trust store and full verification. */
    public static final UpstreamTlsConfig DEFAULTS = new UpstreamTlsConfig(null, null, null, null, false);

    public UpstreamTlsConfig {
        trusted = trusted == null ? null : List.copyOf(trusted);
    }

    /**
     * {@code client_certificate}: the chain (leaf first) and its private key.
     *
     * @param cert the PEM file the chain was read from, as configured
     */
    public record ClientCertificate(Path cert, List<X509Certificate> chain, PrivateKey key) {
        public ClientCertificate {
            chain = List.copyOf(chain);
        }

        /** Never the key: a config may be logged or rendered. */
        @Override
        public String toString() {
            return "ClientCertificate[cert=" + cert + ", subject=" + chain.get(0).getSubjectX500Principal() + "]";
        }
    }
}
