package io.gatehouse.tls;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.TlsConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * The TLS listener's certificates, consulted at each handshake: {@link #map} gives the context of the certificate
 * whose DNS names match the client's SNI name (exact, then wildcard), or the default one.
 */
public final class ServerCertificates implements Mapping<String, SslContext>, AutoCloseable {
    private volatile Mapping<String, SslContext> byName;

    private ServerCertificates(Mapping<String, SslContext> byName) {
        this.byName = byName;
    }

    /**
     * Reads every certificate and key and makes their contexts.
     *
     * @throws ConfigException naming the entry and what is wrong with its files
     */
    public static ServerCertificates load(TlsConfig tls, ServerContextFactory factory) {
        List<SslContext> contexts = new ArrayList<>();
        List<KeyMaterial> materials = new ArrayList<>();
        for (TlsConfig.Certificate certificate : tls.certificates()) {
            KeyMaterial material = read(certificate);
            materials.add(material);
            try {
                contexts.add(factory.create(material));
            } catch (IOException | RuntimeException e) {
                throw new ConfigException("server.tls.certificates: " + certificate.name() + ": " + e.getMessage());
            }
        }
        DomainWildcardMappingBuilder<SslContext> builder =
                new DomainWildcardMappingBuilder<>(contexts.get(tls.defaultCertificate()));
        for (int i = 0; i < materials.size(); i++) {
            for (String name : dnsNames(materials.get(i).leaf())) {
                builder.add(name, contexts.get(i));
            }
        }
        return new ServerCertificates(builder.build());
    }

    @Override
    public SslContext map(String serverName) {
        return byName.map(serverName);
    }

    @Override
    public void close() {
    }

    static KeyMaterial read(TlsConfig.Certificate certificate) {
        try {
            byte[] chainPem = Files.readAllBytes(certificate.cert());
            Collection<? extends java.security.cert.Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(chainPem));
            List<X509Certificate> x509 = new ArrayList<>();
            chain.forEach(c -> x509.add((X509Certificate) c));
            return new KeyMaterial(certificate.name(), pkcs8(Files.readString(certificate.key())), x509);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConfigException("server.tls.certificates: " + certificate.name() + ": " + e.getMessage());
        }
    }

    private static PrivateKey pkcs8(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body.getBytes(StandardCharsets.US_ASCII)));
        GeneralSecurityException last = null;
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private static List<String> dnsNames(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add((String) san.get(1));
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException("server.tls.certificates: unreadable subject alternative names");
        }
        return names;
    }
}
