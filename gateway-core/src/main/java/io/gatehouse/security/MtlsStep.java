package io.gatehouse.security;

import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetAddress;
import java.security.cert.X509Certificate;

/**
 * {@code auth: [mtls]}: requires the client certificate verified in the TLS handshake, and makes the consumer it
 * names ({@code auth.mtls.consumers}) the request's. No verified certificate: 401; one no consumer matches: 403.
 */
final class MtlsStep implements AdmissionStep {
    private final CertificateConsumers consumers;
    private final SecurityRejections rejections;

    MtlsStep(CertificateConsumers consumers, SecurityRejections rejections) {
        this.consumers = consumers;
        this.rejections = rejections;
    }

    @Override
    public Admission check(HttpHeaders headers, InetAddress client, String rawQuery, AdmissionProgress progress) {
        X509Certificate certificate = progress.clientTls().verifiedCertificate();
        if (certificate == null) {
            return rejections.missing(rejections.missingClientCertificate);
        }
        Consumer consumer = consumers.find(certificate);
        if (consumer == null) {
            return rejections.unknownClientCertificate();
        }
        progress.consumer(consumer);
        return null;
    }
}
