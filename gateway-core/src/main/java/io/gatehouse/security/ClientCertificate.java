package io.gatehouse.security;

import io.gatehouse.config.CertificateField;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The verified certificate a client presented in its TLS handshake, read once per connection into the fields
 * {@code auth.mtls} uses. Every value is safe as an HTTP header value: control characters and non-ASCII bytes are
 * percent-encoded (as UTF-8), so a certificate cannot split or smuggle headers.
 */
public final class ClientCertificate {
    private static final int SAN_DNS = 2;
    private static final int SAN_EMAIL = 1;
    private static final int SAN_URI = 6;

    private final Map<CertificateField, List<String>> values = new EnumMap<>(CertificateField.class);

    private ClientCertificate(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        values.put(CertificateField.SUBJECT, List.of(headerSafe(subject)));
        values.put(CertificateField.SUBJECT_CN, commonName(subject));
        values.put(CertificateField.ISSUER,
                List.of(headerSafe(certificate.getIssuerX500Principal().getName(X500Principal.RFC2253))));
        values.put(CertificateField.SERIAL, List.of(certificate.getSerialNumber().toString(16)));
        values.put(CertificateField.FINGERPRINT_SHA256, List.of(fingerprint(certificate)));
        values.put(CertificateField.SAN_DNS, alternativeNames(certificate, SAN_DNS));
        values.put(CertificateField.SAN_URI, alternativeNames(certificate, SAN_URI));
        values.put(CertificateField.SAN_EMAIL, alternativeNames(certificate, SAN_EMAIL));
    }

    /** The fields of a certificate the TLS handshake verified. */
    public static ClientCertificate of(X509Certificate verified) {
        return new ClientCertificate(verified);
    }

    /** The field's values, in certificate order; empty when the certificate has none. */
    List<String> values(CertificateField field) {
        return values.get(field);
    }

    private static List<String> commonName(String subject) {
        try {
            List<String> names = new ArrayList<>(1);
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(headerSafe(String.valueOf(rdn.getValue())));
                }
            }
            // LdapName lists RDNs from the last to the first: the most specific CN comes last.
            return names.isEmpty() ? List.of() : List.of(names.get(names.size() - 1));
        } catch (InvalidNameException e) {
            return List.of();
        }
    }

    private static List<String> alternativeNames(X509Certificate certificate, int type) {
        Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (sans == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (List<?> san : sans) {
            if (Integer.valueOf(type).equals(san.get(0)) && san.get(1) instanceof String name) {
                names.add(headerSafe(name));
            }
        }
        return List.copyOf(names);
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("a verified certificate has a DER encoding and every JRE has SHA-256", e);
        }
    }

    /** Printable ASCII stays; everything else becomes %XX of its UTF-8 bytes (and % itself, so it reads back). */
    static String headerSafe(String value) {
        StringBuilder out = null;
        byte[] utf8 = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '%') {
                continue;
            }
            utf8 = value.getBytes(StandardCharsets.UTF_8);
            out = new StringBuilder(utf8.length + 16);
            break;
        }
        if (out == null) {
            return value;
        }
        for (byte b : utf8) {
            int u = b & 0xff;
            if (u >= 0x20 && u < 0x7f && u != '%') {
                out.append((char) u);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(u & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
