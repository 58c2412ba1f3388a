package io.gatehouse.tls;

import io.gatehouse.config.TlsConfig;
import io.gatehouse.testing.TestPki;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Certificate entries, key files in every format, and a context factory that remembers what each context serves. */
final class CertificateFixtures {
    /** Bouncy Castle's own provider: the JDK has no AES/CBC/PKCS7Padding for encrypting keys. */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private CertificateFixtures() {
    }

    static TlsConfig tls(int defaultCertificate, TlsConfig.Certificate... certificates) {
        return new TlsConfig(0, List.of(certificates), defaultCertificate, List.of("TLSv1.3", "TLSv1.2"),
                new TlsConfig.Ciphers("modern", List.of()), TlsConfig.ClientAuth.NONE, null, Duration.ofSeconds(10));
    }

    static TlsConfig.Certificate entry(String name, TestPki.Files files) {
        return new TlsConfig.Certificate(name, files.cert(), files.key());
    }

    /** The OpenSSL legacy form: {@code RSA PRIVATE KEY} (PKCS#1) for RSA, {@code EC PRIVATE KEY} (SEC1) for EC. */
    static String legacyPem(PrivateKey key) {
        if (key.getAlgorithm().equals("RSA")) {
            return pem(key);
        }
        // as openssl writes it: the curve in the [0] parameters (the JDK's PKCS#8 keeps it outside only)
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        java.security.interfaces.ECPrivateKey ec = (java.security.interfaces.ECPrivateKey) key;
        try {
            byte[] sec1 = new ECPrivateKey(256, ec.getS(), info.getPrivateKeyAlgorithm().getParameters()).getEncoded();
            return pem(new PemObject("EC PRIVATE KEY", sec1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ENCRYPTED PRIVATE KEY} (PKCS#8 with a passphrase). */
    static String encryptedPkcs8Pem(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(
                    JcaPKCS8Generator.AES_256_CBC).setProvider(BC).setPassword("secret".toCharArray()).build()).generate());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The legacy form with {@code Proc-Type: 4,ENCRYPTED}. */
    static String encryptedLegacyPem(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(key, new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).build("secret".toCharArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pemOf(X509Certificate certificate) {
        return pem(certificate);
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

    /** Makes JDK-engine server contexts and remembers the leaf certificate of each. */
    static final class RecordingFactory implements ServerContextFactory {
        private final Map<SslContext, X509Certificate> leaves = Collections.synchronizedMap(new IdentityHashMap<>());

        @Override
        public SslContext create(KeyMaterial material) throws javax.net.ssl.SSLException {
            SslContext context = SslContextBuilder.forServer(material.key(), material.chain()).build();
            leaves.put(context, material.leaf());
            return context;
        }

        /** The leaf certificate {@code context} serves. */
        X509Certificate leaf(SslContext context) {
            return leaves.get(context);
        }
    }
}
