package io.gatehouse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code server.tls}: the HTTPS listener. Absent means no TLS listener.
 *
 * @param port               the HTTPS port (the plain {@code server.port} stays open)
 * @param certificates       each certificate chain and its key; SNI picks the one whose DNS names match
 * @param defaultCertificate index into {@code certificates} for clients without SNI or with an unknown name
 * @param protocols          enabled protocol versions, a subset of TLSv1.3 and TLSv1.2
 * @param ciphers            a Mozilla profile or an explicit list
 * @param clientAuth         whether clients present certificates, and the CA they must chain to
 * @param hsts               {@code Strict-Transport-Security} sent on TLS responses, or null for
 *                           {@code security_headers.hsts}
 * @param handshakeTimeout   a handshake not done by then is closed and counted
 * @param redirectHttp       the plain port answers every request but the built-in endpoints with a 308 to its https
 *                           URL on this listener
 */
public record TlsConfig(int port, List<Certificate> certificates, int defaultCertificate, List<String> protocols,
                        Ciphers ciphers, ClientAuth clientAuth, Hsts hsts, Duration handshakeTimeout,
                        boolean redirectHttp) {
    public TlsConfig {
        certificates = List.copyOf(certificates);
        protocols = List.copyOf(protocols);
    }

    /** Without the plain port's redirect. */
    public TlsConfig(int port, List<Certificate> certificates, int defaultCertificate, List<String> protocols,
                     Ciphers ciphers, ClientAuth clientAuth, Hsts hsts, Duration handshakeTimeout) {
        this(port, certificates, defaultCertificate, protocols, ciphers, clientAuth, hsts, handshakeTimeout, false);
    }

    /**
     * What a running gateway cannot change, by config path: the listener is bound once, and each certificate's
     * context is made once with these settings (the certificate files themselves are watched and reloaded).
     * {@code hsts}, {@code redirect_http} and {@code handshake_timeout} may change: requests and new connections
     * read them from the configuration in force.
     *
     * @param tls the section, or null when there is no TLS listener
     */
    public static Map<String, Object> restartOnly(TlsConfig tls) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("server.tls.port", tls == null ? "none (no TLS listener)" : tls.port);
        if (tls != null) {
            keys.put("server.tls.certificates", tls.certificates);
            keys.put("server.tls.default_certificate", tls.defaultCertificate);
            keys.put("server.tls.protocols", tls.protocols);
            keys.put("server.tls.ciphers", tls.ciphers);
            keys.put("server.tls.client_auth", tls.clientAuth);
        }
        return keys;
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
     * Cipher suites: {@code profile} is {@code modern} or {@code intermediate} (Mozilla's server-side TLS profiles,
     * version 5.7), or null when {@code explicit} lists the suites (IANA names, as the JDK spells them).
     */
    public record Ciphers(String profile, List<String> explicit) {
        public static final String MODERN = "modern";
        public static final String INTERMEDIATE = "intermediate";
        /** Mozilla's modern profile is TLS 1.3 only, with these three suites. */
        static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256");
        /** Mozilla's intermediate profile: forward-secret AEAD suites for TLS 1.2 (its DHE ones left out), and 1.3. */
        static final List<String> INTERMEDIATE_TLS12_SUITES = List.of(
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        private static final List<String> INTERMEDIATE_SUITES = Stream.concat(TLS13_SUITES.stream(),
                INTERMEDIATE_TLS12_SUITES.stream()).toList();

        public Ciphers {
            explicit = List.copyOf(explicit);
        }

        /** The suites to enable, in order of preference. */
        public List<String> suites() {
            if (MODERN.equals(profile)) {
                return TLS13_SUITES;
            }
            return INTERMEDIATE.equals(profile) ? INTERMEDIATE_SUITES : explicit;
        }

        /** How the setting reads in the config, for logs and errors. */
        @Override
        public String toString() {
            return profile != null ? profile : explicit.toString();
        }
    }

    /** {@code client_auth}: {@code ca} is the PEM bundle client certificates must chain to (null with NONE). */
    public record ClientAuth(Mode mode, Path ca) {
        public static final ClientAuth NONE = new ClientAuth(Mode.NONE, null);

        public enum Mode { NONE, OPTIONAL, REQUIRED }
    }

    /** {@code hsts}: the header's {@code max-age}, {@code includeSubDomains} and {@code preload}. */
    public record Hsts(Duration maxAge, boolean includeSubdomains, boolean preload) {
        /** The header's value, e.g. {@code max-age=31536000; includeSubDomains}. */
        public String headerValue() {
            return "max-age=" + maxAge.toSeconds() + (includeSubdomains ? "; includeSubDomains" : "")
                    + (preload ? "; preload" : "");
        }
    }
}
