package io.gatehouse.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Binds {@code pools.NAME.tls}, reading its PEM files now (see {@link PemFiles}). */
final class UpstreamTlsSection {
    private static final List<String> KEYS = List.of("ca", "server_name", "client_certificate", "insecure_skip_verify");
    private static final List<String> CLIENT_KEYS = List.of("cert", "key");
    private static final String FILE_EXPECTED = "expected the path of a PEM file";
    private static final String SERVER_NAME_EXPECTED = "expected a DNS name such as api.internal.example";

    private UpstreamTlsSection() {}

    /** Null when absent or not a map (then reported). */
    static UpstreamTlsConfig bind(Node tls) {
        if (!tls.isPresent() || !tls.expectMap(KEYS)) {
            return null;
        }
        Node caNode = tls.get("ca");
        Path ca = path(caNode);
        List<X509Certificate> trusted = ca == null ? null : read(caNode, ca, PemFiles::certificates);
        boolean insecure = tls.get("insecure_skip_verify").bool(false);
        if (insecure && caNode.isPresent()) {
            caNode.error("set together with insecure_skip_verify: true, which verifies nothing against it "
                    + "(expected one of the two)");
        }
        return new UpstreamTlsConfig(ca, trusted, serverName(tls.get("server_name")),
                clientCertificate(tls.get("client_certificate")), insecure);
    }

    private static String serverName(Node node) {
        String name = node.string();
        if (name == null) {
            return null;
        }
        // A DNS name only: an IP address is never sent as SNI, so it could not choose the backend's certificate.
        if (!Hosts.isName(name) || Hosts.isIpv4Like(name)) {
            node.invalid(SERVER_NAME_EXPECTED);
            return null;
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static UpstreamTlsConfig.ClientCertificate clientCertificate(Node node) {
        if (!node.isPresent() || !node.expectMap(CLIENT_KEYS)) {
            return null;
        }
        Node certNode = node.get("cert");
        Node keyNode = node.get("key");
        if (!certNode.isPresent()) {
            certNode.missing(FILE_EXPECTED + ": the client certificate, then its intermediates");
        }
        if (!keyNode.isPresent()) {
            keyNode.missing(FILE_EXPECTED + ": the client certificate's PKCS#8 private key");
        }
        Path cert = path(certNode);
        Path key = path(keyNode);
        List<X509Certificate> chain = cert == null ? null : read(certNode, cert, PemFiles::certificates);
        PrivateKey privateKey = key == null ? null : read(keyNode, key, PemFiles::privateKey);
        if (chain == null || privateKey == null) {
            return null;
        }
        if (!PemFiles.belongTogether(privateKey, chain.get(0))) {
            keyNode.invalid("expected the private key of the certificate in " + cert + "; this is another key");
            return null;
        }
        return new UpstreamTlsConfig.ClientCertificate(cert, chain, privateKey);
    }

    private static Path path(Node node) {
        String text = node.string();
        if (text == null) {
            return null;
        }
        try {
            if (!text.isBlank()) {
                return Path.of(text);
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        node.invalid(FILE_EXPECTED);
        return null;
    }

    /** What {@code reader} made of {@code file}, or null after reporting why not at {@code node}. */
    private static <T> T read(Node node, Path file, Function<Path, T> reader) {
        try {
            return reader.apply(file);
        } catch (IllegalArgumentException e) {
            node.invalid(e.getMessage());
            return null;
        }
    }
}
