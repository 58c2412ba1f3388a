package io.gatehouse.config;

import java.util.List;
import java.util.Map;

/**
 * {@code auth.mtls}: clients known by their verified TLS certificate ({@code server.tls.client_auth}).
 *
 * @param consumerFrom   the certificate field whose value is the consumer id; for a multi-valued field (SANs) the
 *                       first value that names a listed consumer
 * @param consumers      the consumers admitted, with their roles; a verified certificate naming none is refused
 * @param forwardHeaders upstream header name to the certificate field it carries, in order (multiple values joined
 *                       with ", "); client-sent copies of these headers are always removed
 */
public record MtlsConfig(CertificateField consumerFrom, List<Consumer> consumers,
                         Map<String, CertificateField> forwardHeaders) {
    public MtlsConfig {
        consumers = List.copyOf(consumers);
        forwardHeaders = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(forwardHeaders));
    }

    /** One consumer: {@code id} is the value of {@code consumer_from} in its certificate. */
    public record Consumer(String id, List<String> roles) {
        public Consumer {
            roles = List.copyOf(roles);
        }
    }
}
