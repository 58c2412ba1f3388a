package io.gatehouse.config;

/**
 * A field of a verified client certificate, as named in {@code auth.mtls}: what names the consumer
 * ({@code consumer_from}) and what is forwarded upstream ({@code forward_headers}).
 */
public enum CertificateField {
    /** The subject's distinguished name, RFC 2253 ({@code CN=billing,O=Example}). */
    SUBJECT("subject", true),
    /** The subject's common name. */
    SUBJECT_CN("subject_cn", true),
    /** Each DNS name among the subject alternative names. */
    SAN_DNS("san_dns", true),
    /** Each URI among the subject alternative names (a SPIFFE ID, for one). */
    SAN_URI("san_uri", true),
    /** Each e-mail address among the subject alternative names. */
    SAN_EMAIL("san_email", true),
    /** The issuer's distinguished name, RFC 2253. */
    ISSUER("issuer", false),
    /** The serial number in hexadecimal. */
    SERIAL("serial", false),
    /** The SHA-256 of the DER certificate in hexadecimal. */
    FINGERPRINT_SHA256("fingerprint_sha256", false);

    private final String configName;
    private final boolean identity;

    CertificateField(String configName, boolean identity) {
        this.configName = configName;
        this.identity = identity;
    }

    public String configName() {
        return configName;
    }

    /** Whether it can name a consumer: issuer, serial and fingerprint cannot. */
    public boolean isIdentity() {
        return identity;
    }

    static CertificateField byName(String name) {
        for (CertificateField field : values()) {
            if (field.configName.equals(name)) {
                return field;
            }
        }
        return null;
    }
}
