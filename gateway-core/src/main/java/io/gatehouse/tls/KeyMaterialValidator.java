package io.gatehouse.tls;

import io.gatehouse.tls.BadKeyMaterial.Part;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Checks that a chain and a key can be served: the key belongs to the first certificate (the leaf), and the leaf is
 * valid now by the given clock (not expired, not valid only in the future).
 */
final class KeyMaterialValidator {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMaterialValidator() {
    }

    static void check(KeyMaterial material, Path certFile, Path keyFile, Clock clock) throws BadKeyMaterial {
        X509Certificate leaf = material.leaf();
        if (!matches(material.key(), leaf.getPublicKey())) {
            throw new BadKeyMaterial(Part.KEY, keyFile, mismatch(material, certFile));
        }
        Instant now = clock.instant();
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new BadKeyMaterial(Part.CERT, certFile,
                    "the certificate expired on " + leaf.getNotAfter().toInstant() + " (" + subject(leaf) + ")");
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new BadKeyMaterial(Part.CERT, certFile,
                    "the certificate is not valid before " + leaf.getNotBefore().toInstant() + " (" + subject(leaf) + ")");
        }
    }

    private static String mismatch(KeyMaterial material, Path certFile) {
        List<X509Certificate> chain = material.chain();
        for (int i = 1; i < chain.size(); i++) {
            if (matches(material.key(), chain.get(i).getPublicKey())) {
                return "the key belongs to certificate " + (i + 1) + " of " + certFile
                        + ", not to the first (expected: the server's certificate first, then its intermediates)";
            }
        }
        return "the key does not belong to the certificate in " + certFile + " (" + subject(material.leaf()) + ")";
    }

    /** True when {@code key} is the private half of {@code publicKey}: RSA moduli compared, other keys sign and verify. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAKey rsa && publicKey instanceof RSAKey rsaPublic) {
            return rsa.getModulus().equals(rsaPublic.getModulus());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a public key of another kind (RSA for an EC key, another curve): not its pair
        }
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
