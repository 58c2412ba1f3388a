package io.gatehouse.config;

import io.gatehouse.tls.TlsEngine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Binds {@code server.tls}: absent means no HTTPS listener. Certificate files are read (and refused) by
 * {@link io.gatehouse.tls.ServerCertificates}; this checks everything else.
 */
final class TlsSection {
    private static final List<String> KEYS = List.of("port", "certificates", "default_certificate", "protocols",
            "ciphers", "client_auth", "hsts", "handshake_timeout", "redirect_http");
    private static final List<String> CERTIFICATE_KEYS = List.of("cert", "key", "name");
    private static final List<String> CLIENT_AUTH_KEYS = List.of("mode", "ca");
    private static final List<String> HSTS_KEYS = List.of("max_age", "include_subdomains", "preload");
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final Set<String> OLD_PROTOCOLS = Set.of("TLSv1.1", "TLSv1", "TLSv1.0", "SSLv3", "SSLv2");
    private static final String PROTOCOLS_EXPECTED = "expected a list of TLSv1.3, TLSv1.2";
    private static final String CIPHERS_EXPECTED = "expected modern, intermediate or a list of cipher suites";
    /** hstspreload.org's minimum for a preload list entry. */
    private static final Duration PRELOAD_MIN_AGE = Duration.ofDays(365);

    private TlsSection() {}

    /** @param plainPort {@code server.port} as bound (after its environment override) */
    static TlsConfig bind(Node tls, int plainPort) {
        if (!tls.isPresent() || !tls.expectMap(KEYS)) {
            return null;
        }
        Node portNode = tls.get("port");
        Integer port = portNode.optionalInteger(0, 65535);
        if (!portNode.isPresent()) {
            portNode.missing("expected the HTTPS port, 0..65535");
        } else if (port != null && port != 0 && port == plainPort) {
            portNode.invalid("expected a port other than server.port, which serves plain HTTP");
        }
        List<TlsConfig.Certificate> certificates = certificates(tls.get("certificates"));
        Node defaultNode = tls.get("default_certificate");
        int defaultCertificate = certificates.isEmpty() ? 0
                : defaultNode.integer(0, 0, Math.max(0, certificates.size() - 1));
        TlsConfig.Ciphers ciphers = ciphers(tls.get("ciphers"));
        List<String> protocols = protocols(tls.get("protocols"), ciphers);
        Node redirect = tls.get("redirect_http");
        return new TlsConfig(port == null ? 0 : port, certificates, defaultCertificate, protocols, ciphers,
                clientAuth(tls.get("client_auth")), hsts(tls.get("hsts")),
                tls.get("handshake_timeout").duration(Duration.ofSeconds(10), false), redirect.bool(false));
    }

    private static List<TlsConfig.Certificate> certificates(Node list) {
        List<TlsConfig.Certificate> out = new ArrayList<>();
        String expected = "expected a list of {cert: FILE, key: FILE, name: NAME}";
        if (!list.isPresent()) {
            list.missing(expected);
            return out;
        }
        List<Node> elements = list.elements(expected);
        if (list.isList() && elements.isEmpty()) {
            list.invalid("expected at least one certificate");
        }
        Set<String> names = new HashSet<>();
        for (Node element : elements) {
            if (!element.expectMap(CERTIFICATE_KEYS)) {
                if (!element.isPresent()) {
                    element.invalid(expected);
                }
                continue;
            }
            String cert = element.get("cert").requiredString("expected the PEM file of the certificate chain");
            String key = element.get("key").requiredString("expected the PEM file of the private key");
            if (cert == null || key == null) {
                continue;
            }
            Node nameNode = element.get("name");
            String name = nameNode.isPresent() ? nameNode.string() : Path.of(cert).getFileName().toString();
            if (name != null && !names.add(name)) {
                (nameNode.isPresent() ? nameNode : element.get("cert")).invalid("expected a name no other"
                        + " certificate has (set name: to tell entries apart)");
            }
            out.add(new TlsConfig.Certificate(name, Path.of(cert), Path.of(key)));
        }
        return out;
    }

    private static TlsConfig.Ciphers ciphers(Node node) {
        if (!node.isPresent()) {
            return new TlsConfig.Ciphers(TlsConfig.Ciphers.INTERMEDIATE, List.of());
        }
        if (!node.isList()) {
            String profile = node.string();
            if (TlsConfig.Ciphers.MODERN.equals(profile) || TlsConfig.Ciphers.INTERMEDIATE.equals(profile)) {
                return new TlsConfig.Ciphers(profile, List.of());
            }
            if (profile != null) {
                node.invalid(CIPHERS_EXPECTED);
            }
            return new TlsConfig.Ciphers(TlsConfig.Ciphers.INTERMEDIATE, List.of());
        }
        List<String> suites = new ArrayList<>();
        List<Node> elements = node.elements(CIPHERS_EXPECTED);
        for (Node element : elements) {
            String suite = element.item("expected a cipher suite name such as TLS_AES_128_GCM_SHA256");
            if (suite != null && !TlsEngine.supportsCipherSuite(suite)) {
                element.invalid("expected a cipher suite the TLS engine supports, by its IANA name such as"
                        + " TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; engine: " + TlsEngine.description());
            } else if (suite != null) {
                suites.add(suite);
            }
        }
        if (elements.isEmpty()) {
            node.invalid("expected at least one cipher suite, or modern or intermediate");
        }
        return new TlsConfig.Ciphers(null, suites);
    }

    /** Absent: what the cipher profile allows (modern: TLS 1.3 only; otherwise TLS 1.3 and 1.2). */
    private static List<String> protocols(Node node, TlsConfig.Ciphers ciphers) {
        boolean modern = TlsConfig.Ciphers.MODERN.equals(ciphers.profile());
        if (!node.isPresent()) {
            return modern ? List.of("TLSv1.3") : PROTOCOLS;
        }
        List<String> protocols = new ArrayList<>();
        List<Node> elements = node.elements(PROTOCOLS_EXPECTED);
        for (Node element : elements) {
            String protocol = element.item(PROTOCOLS_EXPECTED);
            if (protocol == null) {
                continue;
            }
            if (OLD_PROTOCOLS.contains(protocol)) {
                element.invalid("not offered: TLS 1.1 and older are deprecated (RFC 8996); " + PROTOCOLS_EXPECTED);
            } else if (!PROTOCOLS.contains(protocol)) {
                element.invalid(PROTOCOLS_EXPECTED);
            } else if (modern && protocol.equals("TLSv1.2")) {
                element.invalid("server.tls.ciphers: modern is Mozilla's TLS 1.3-only profile; use ciphers:"
                        + " intermediate for TLSv1.2, or leave TLSv1.2 out");
            } else if (!protocols.contains(protocol)) {
                protocols.add(protocol);
            }
        }
        if (node.isList() && elements.isEmpty()) {
            node.invalid("expected at least one of TLSv1.3, TLSv1.2");
        }
        return protocols;
    }

    private static TlsConfig.ClientAuth clientAuth(Node node) {
        if (!node.isPresent() || !node.expectMap(CLIENT_AUTH_KEYS)) {
            return TlsConfig.ClientAuth.NONE;
        }
        Node modeNode = node.get("mode");
        String modeText = modeNode.requiredString("expected none, optional or required");
        TlsConfig.ClientAuth.Mode mode = TlsConfig.ClientAuth.Mode.NONE;
        if (modeText != null) {
            switch (modeText) {
                case "none" -> mode = TlsConfig.ClientAuth.Mode.NONE;
                case "optional" -> mode = TlsConfig.ClientAuth.Mode.OPTIONAL;
                case "required" -> mode = TlsConfig.ClientAuth.Mode.REQUIRED;
                default -> {
                    modeNode.invalid("expected none, optional or required");
                    return TlsConfig.ClientAuth.NONE;
                }
            }
        }
        Node caNode = node.get("ca");
        String ca = caNode.string();
        if (mode == TlsConfig.ClientAuth.Mode.NONE) {
            if (caNode.isPresent()) {
                caNode.invalid("expected no ca with mode: none, which asks clients for no certificate");
            }
            return TlsConfig.ClientAuth.NONE;
        }
        if (!caNode.isPresent()) {
            caNode.missing("expected the PEM file of the CA client certificates must chain to, with mode: "
                    + modeText);
            return TlsConfig.ClientAuth.NONE;
        }
        return ca == null ? TlsConfig.ClientAuth.NONE : new TlsConfig.ClientAuth(mode, Path.of(ca));
    }

    private static TlsConfig.Hsts hsts(Node node) {
        if (!node.isPresent() || !node.expectMap(HSTS_KEYS)) {
            return null;
        }
        Node maxAgeNode = node.get("max_age");
        if (!maxAgeNode.isPresent()) {
            maxAgeNode.missing("expected a duration such as 365d (0 tells browsers to forget the policy)");
        }
        Duration maxAge = maxAgeNode.duration(Duration.ZERO, true);
        boolean subdomains = node.get("include_subdomains").bool(false);
        Node preloadNode = node.get("preload");
        boolean preload = preloadNode.bool(false);
        if (preload && (!subdomains || maxAge.compareTo(PRELOAD_MIN_AGE) < 0)) {
            preloadNode.invalid("expected preload only with include_subdomains: true and a max_age of at least"
                    + " 365d, as the browsers' preload list requires");
        }
        return new TlsConfig.Hsts(maxAge, subdomains, preload);
    }
}
