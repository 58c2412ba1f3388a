package io.gatehouse.security;

import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetAddress;

/**
 * Requires a client certificate the TLS handshake verified ({@code server.tls.client_auth}) that names a listed
 * consumer: none (a plain connection, or {@code optional} without one) is 401, an unlisted one 403.
 */
final class MtlsStep implements AdmissionStep {
    private final MtlsAuthenticator certificates;
    private final SecurityRejections rejections;

    MtlsStep(MtlsAuthenticator certificates, SecurityRejections rejections) {
        this.certificates = certificates;
        this.rejections = rejections;
    }

    @Override
    public Admission check(HttpHeaders headers, InetAddress client, String rawQuery, AdmissionProgress progress) {
        ClientCertificate certificate = progress.clientCertificate();
        if (certificate == null) {
            return rejections.missing(rejections.missingClientCertificate);
        }
        Consumer consumer = certificates.find(certificate);
        if (consumer == null) {
            return rejections.unknownClientCertificate();
        }
        progress.consumer(consumer);
        return null;
    }
}
