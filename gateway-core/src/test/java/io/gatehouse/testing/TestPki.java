package io.gatehouse.testing;

import io.netty.util.NetUtil;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates made for one test run with Bouncy Castle: a CA, and server or client certificates it signs, written as
 * PEM files the gateway reads like an operator's. Nothing here is checked in.
 *
 * <pre>
 *   TestPki.Authority ca = TestPki.authority("Test CA");
 *   TestPki.Issued api = ca.server("api.example.com", "*.api.example.com");
 *   TestPki.Files files = api.writeTo(dir, "api");   // api.pem (leaf then CA) and api.key (PKCS#8)
 * </pre>
 */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private TestPki() {
    }

    /** A self-signed CA with an EC P-256 key, valid from an hour ago for ten years. */
    public static Authority authority(String commonName) {
        KeyPair keys = keyPair(KeyKind.EC);
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        X509Certificate cert = sign(name, keys.getPrivate(), name, keys, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(3650)), true, List.of(), null);
        return new Authority(cert, keys);
    }

    /** The key algorithm of an issued certificate. */
    public enum KeyKind { EC, RSA }

    /** A CA that issues certificates. */
    public static final class Authority {
        private final X509Certificate cert;
        private final KeyPair keys;

        private Authority(X509Certificate cert, KeyPair keys) {
            this.cert = cert;
            this.keys = keys;
        }

        public X509Certificate certificate() {
            return cert;
        }

        /**
         * A server certificate for these DNS names or IP addresses (the first is also the CN), valid for a year, EC key.
         */
        public Issued server(String... dnsNames) {
            return issue(KeyKind.EC, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(365)),
                    KeyPurposeId.id_kp_serverAuth, dnsNames);
        }

        /** A client certificate whose subject is {@code CN=commonName}, with these DNS names as SANs. */
        public Issued client(String commonName, String... dnsNames) {
            return issue(KeyKind.EC, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(365)),
                    KeyPurposeId.id_kp_clientAuth, prepend(commonName, dnsNames));
        }

        /** Any validity, key kind and purpose: {@code notAfter} in the past makes an expired certificate. */
        public Issued issue(KeyKind kind, Instant notBefore, Instant notAfter, KeyPurposeId purpose,
                            String... dnsNames) {
            KeyPair leaf = keyPair(kind);
            X500Name subject = new X500Name("CN=" + dnsNames[0]);
            X500Name issuer = new X500Name(cert.getSubjectX500Principal().getName());
            X509Certificate issued = sign(issuer, keys.getPrivate(), subject, leaf, notBefore, notAfter, false,
                    List.of(dnsNames), purpose);
            return new Issued(issued, leaf.getPrivate(), cert);
        }

        /** Writes the CA certificate as PEM (a trust file for clients or for {@code client_auth.ca}). */
        public Path writeTo(Path file) {
            return write(file, pem(cert));
        }
    }

    /** A certificate, its private key and the CA that signed it. */
    public record Issued(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {
        /** Writes {@code name.pem} (the certificate then its CA) and {@code name.key} (PKCS#8) into {@code dir}. */
        public Files writeTo(Path dir, String name) {
            Path certFile = write(dir.resolve(name + ".pem"), pem(certificate) + pem(issuer));
            Path keyFile = write(dir.resolve(name + ".key"), pemPkcs8(key));
            return new Files(certFile, keyFile);
        }

        public String certificatePem() {
            return pem(certificate);
        }

        public String keyPem() {
            return pemPkcs8(key);
        }
    }

    /** Where {@link Issued#writeTo} put the certificate chain and the key. */
    public record Files(Path cert, Path key) {}

    private static String[] prepend(String first, String[] rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    private static KeyPair keyPair(KeyKind kind) {
        try {
            if (kind == KeyKind.RSA) {
                KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                rsa.initialize(2048);
                return rsa.generateKeyPair();
            }
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"));
            return ec.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name issuer, PrivateKey issuerKey, X500Name subject, KeyPair subjectKeys,
                                        Instant notBefore, Instant notAfter, boolean ca, List<String> dnsNames,
                                        KeyPurposeId purpose) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
                    subjectKeys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
                // An IP literal becomes an IP address SAN (what clients verify for https://10.0.0.1), anything else DNS.
                GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(
                        NetUtil.isValidIpV4Address(n) || NetUtil.isValidIpV6Address(n)
                                ? GeneralName.iPAddress : GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String pemPkcs8(PrivateKey key) {
        return pem(new PemObject("PRIVATE KEY", key.getEncoded()));
    }

    private static Path write(Path file, String text) {
        try {
            return java.nio.file.Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
