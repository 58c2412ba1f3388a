package io.gatehouse.security;

import io.gatehouse.config.CertificateField;
import io.gatehouse.config.MtlsConfig;
import io.gatehouse.metrics.GatewayMetrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names the consumer of a verified client certificate: the value of {@code consumer_from} that is a listed
 * consumer's id. The consumer's upstream headers are its {@code X-Consumer-Id} and the certificate fields
 * {@code forward_headers} asks for.
 */
final class MtlsAuthenticator {
    private final CertificateField consumerFrom;
    private final Map<String, Consumer> consumers = new HashMap<>();
    private final Map<String, CertificateField> forwardHeaders;

    MtlsAuthenticator(MtlsConfig config, GatewayMetrics metrics) {
        this.consumerFrom = config.consumerFrom();
        this.forwardHeaders = config.forwardHeaders();
        for (MtlsConfig.Consumer consumer : config.consumers()) {
            consumers.put(consumer.id(), Consumer.of(consumer.id(), consumer.roles(),
                    metrics.consumerRequests(consumer.id())));
        }
    }

    /** The listed consumer this certificate names, with its forwarded fields; or null. */
    Consumer find(ClientCertificate certificate) {
        for (String identity : certificate.values(consumerFrom)) {
            Consumer consumer = consumers.get(identity);
            if (consumer != null) {
                return forwardHeaders.isEmpty() ? consumer : withForwardedFields(consumer, certificate);
            }
        }
        return null;
    }

    /** The upstream header names whose client-sent copies must go. */
    Iterable<String> forwardedHeaderNames() {
        return forwardHeaders.keySet();
    }

    private Consumer withForwardedFields(Consumer consumer, ClientCertificate certificate) {
        List<Map.Entry<String, String>> headers =
                new ArrayList<>(consumer.admitted().principal().upstreamHeaders());
        forwardHeaders.forEach((name, field) -> {
            List<String> values = certificate.values(field);
            if (!values.isEmpty()) {
                headers.add(Map.entry(name, String.join(", ", values)));
            }
        });
        Principal principal = new Principal(consumer.id(), null, headers);
        return new Consumer(consumer.id(), consumer.roles(), consumer.requests(), new Admission.Admitted(principal));
    }
}
