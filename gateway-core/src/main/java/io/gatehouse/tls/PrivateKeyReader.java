package io.gatehouse.tls;

import io.gatehouse.tls.BadKeyMaterial.Part;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads the one private key of a PEM key file with the JDK alone: PKCS#8 ({@code BEGIN PRIVATE KEY}), and the
 * OpenSSL legacy forms PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}), which
 * it wraps into PKCS#8 (a few bytes of DER) first. Encrypted keys are refused: the gateway has no passphrase.
 */
final class PrivateKeyReader {
    /** The DER of the algorithm OIDs a PKCS#8 key may carry, and the JDK's name of each. */
    private static final byte[] RSA = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    private static final byte[] RSA_PSS = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x0A};
    private static final byte[] EC = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    private static final byte[] ED25519 = {0x06, 0x03, 0x2B, 0x65, 0x70};
    private static final byte[] ED448 = {0x06, 0x03, 0x2B, 0x65, 0x71};
    private static final Map<String, byte[]> ALGORITHMS =
            Map.of("RSA", RSA, "RSASSA-PSS", RSA_PSS, "EC", EC, "Ed25519", ED25519, "Ed448", ED448);
    private static final byte[] NULL = {0x05, 0x00};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};
    private static final String EXPECTED =
            "(expected: a PEM private key: BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)";

    private PrivateKeyReader() {
    }

    static PrivateKey read(Path file, byte[] content) throws BadKeyMaterial {
        if (content.length == 0) {
            throw problem(file, "the file is empty " + EXPECTED);
        }
        List<PemBlock> blocks;
        try {
            blocks = PemBlock.parse(content);
        } catch (IllegalArgumentException e) {
            throw problem(file, e.getMessage());
        }
        List<PemBlock> keys = blocks.stream().filter(b -> b.type().endsWith("PRIVATE KEY")).toList();
        if (keys.isEmpty()) {
            throw problem(file, "no private key found " + EXPECTED);
        }
        if (keys.size() > 1) {
            throw problem(file, keys.size() + " private keys found (expected: one)");
        }
        PemBlock key = keys.get(0);
        if (key.encrypted() || key.type().equals("ENCRYPTED PRIVATE KEY")) {
            throw problem(file, "the private key is encrypted; the gateway cannot ask for a passphrase (expected: an "
                    + "unencrypted key, e.g. from: openssl pkey -in encrypted.key -out plain.key)");
        }
        try {
            return switch (key.type()) {
                case "PRIVATE KEY" -> pkcs8(key.der());
                case "RSA PRIVATE KEY" -> decode("RSA", Der.tlv(Der.SEQUENCE, VERSION_0, Der.tlv(Der.SEQUENCE, RSA, NULL),
                        Der.tlv(Der.OCTET_STRING, key.der())));
                case "EC PRIVATE KEY" -> decode("EC", Der.tlv(Der.SEQUENCE, VERSION_0,
                        Der.tlv(Der.SEQUENCE, EC, sec1Curve(key.der())), Der.tlv(Der.OCTET_STRING, key.der())));
                default -> throw problem(file, "a " + key.type() + " is not supported " + EXPECTED);
            };
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // the JDK's message is not shown: it says nothing an operator can act on, and must never echo key bytes
            throw problem(file, "the " + key.type() + " block is not a valid key of that kind");
        }
    }

    /** A PKCS#8 key: {@code SEQUENCE { version, SEQUENCE { algorithm OID, parameters }, OCTET STRING key }}. */
    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        Der.Reader info = Der.reader(der).next(Der.SEQUENCE).contents();
        info.next(Der.INTEGER);
        byte[] oid = info.next(Der.SEQUENCE).contents().next(Der.OBJECT_IDENTIFIER).encoded();
        for (Map.Entry<String, byte[]> algorithm : ALGORITHMS.entrySet()) {
            if (Arrays.equals(algorithm.getValue(), oid)) {
                return decode(algorithm.getKey(), der);
            }
        }
        throw new GeneralSecurityException("unsupported key algorithm");
    }

    /** The curve OID of a SEC1 key: {@code SEQUENCE { 1, OCTET STRING key, [0] curve OID, [1] public key }}. */
    private static byte[] sec1Curve(byte[] der) {
        Der.Reader key = Der.reader(der).next(Der.SEQUENCE).contents();
        key.next(Der.INTEGER);
        key.next(Der.OCTET_STRING);
        while (key.hasNext()) {
            Der.Element element = key.next();
            if (element.tag() == Der.CONTEXT_0) {
                return element.contents().next(Der.OBJECT_IDENTIFIER).encoded();
            }
        }
        throw new IllegalArgumentException("EC key without its curve");
    }

    private static PrivateKey decode(String algorithm, byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private static BadKeyMaterial problem(Path file, String problem) {
        return new BadKeyMaterial(Part.KEY, file, problem);
    }
}
