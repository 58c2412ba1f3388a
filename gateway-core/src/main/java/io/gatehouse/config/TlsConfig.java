package io.gatehouse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code server.tls}: the HTTPS listener. Absent means no TLS listener.
 *
 * @param port               the HTTPS port (the plain {@code server.port} stays open)
 * @param certificates       each certificate chain and its key; SNI picks the one whose DNS names match
 * @param defaultCertificate index into {@code certificates} for clients without SNI or with an unknown name
 * @param protocols          enabled protocol versions, a subset of TLSv1.3 and TLSv1.2
 * @param ciphers            a Mozilla profile or an explicit list
 * @param clientAuth         whether clients present certificates, and the CA they must chain to
 * @param hsts               {@code Strict-Transport-Security} sent on TLS responses, or null for none
 * @param handshakeTimeout   a handshake not done by then is closed and counted
 */
public record TlsConfig(int port, List<Certificate> certificates, int defaultCertificate, List<String> protocols,
                        Ciphers ciphers, ClientAuth clientAuth, Hsts hsts, Duration handshakeTimeout) {
    public TlsConfig {
        certificates = List.copyOf(certificates);
        protocols = List.copyOf(protocols);
    }

    /**
     * One certificate entry.
     *
     * @param name the label of its metrics and log lines (the certificate file's name unless configured)
     * @param cert PEM file: the certificate, then its intermediates
     * @param key  PEM file: the private key (PKCS#8, or the RSA and EC legacy forms)
     */
    public record Certificate(String name, Path cert, Path key) {}

    /**
     * Cipher suites: {@code profile} is {@code modern} or {@code intermediate} (Mozilla's server-side TLS profiles),
     * or null when {@code explicit} lists the suites.
     */
    public record Ciphers(String profile, List<String> explicit) {
        public Ciphers {
            explicit = List.copyOf(explicit);
        }
    }

    /** {@code client_auth}: {@code ca} is the PEM bundle client certificates must chain to (null with NONE). */
    public record ClientAuth(Mode mode, Path ca) {
        public static final ClientAuth NONE = new ClientAuth(Mode.NONE, null);

        public enum Mode { NONE, OPTIONAL, REQUIRED }
    }

    /** {@code hsts}: the header's {@code max-age}, {@code includeSubDomains} and {@code preload}. */
    public record Hsts(Duration maxAge, boolean includeSubdomains, boolean preload) {}
}
