package io.gatehouse.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the PEM files of {@code pools.NAME.tls}: certificate bundles and PKCS#8 private keys. Runs where the
 * configuration is loaded (startup, the reload thread), never on an event loop. Each method throws
 * {@link IllegalArgumentException} whose message says what was expected of the file, for the caller to report with
 * the key's YAML path and the file's name ({@link Node#invalid}); the message never holds key material.
 */
final class PemFiles {
    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";
    private static final String NO_CERTIFICATES =
            "expected PEM certificates (BEGIN CERTIFICATE); the file holds none that can be read";
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519");

    private PemFiles() {}

    /** Every certificate in the file, in order; at least one. */
    static List<X509Certificate> certificates(Path file) {
        byte[] pem = read(file);
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))
                    .forEach(c -> certificates.add((X509Certificate) c));
        } catch (CertificateException e) {
            throw new IllegalArgumentException(NO_CERTIFICATES);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(NO_CERTIFICATES);
        }
        return certificates;
    }

    /** The PKCS#8 ({@code BEGIN PRIVATE KEY}) EC, RSA or Ed25519 key in the file. */
    static PrivateKey privateKey(Path file) {
        String pem = new String(read(file), StandardCharsets.US_ASCII);
        int begin = pem.indexOf(KEY_BEGIN);
        int end = pem.indexOf(KEY_END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("expected a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        PKCS8EncodedKeySpec spec;
        try {
            spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(
                    pem.substring(begin + KEY_BEGIN.length(), end).strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected a PKCS#8 PEM private key; its base64 is broken");
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisKind) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("expected a PKCS#8 EC, RSA or Ed25519 private key");
    }

    /** Whether {@code key} is the private half of {@code certificate}'s public key: what it signs, that verifies. */
    static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        PublicKey publicKey = certificate.getPublicKey();
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        byte[] probe = "gatehouse key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("expected a readable PEM file: no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("expected a readable PEM file: permission denied");
        } catch (IOException e) {
            throw new IllegalArgumentException("expected a readable PEM file: " + e.getClass().getSimpleName());
        }
    }
}
