package io.gatehouse.config;

import java.util.List;

/**
 * {@code auth.mtls}: who a client certificate verified against {@code server.tls.client_auth.ca} is, for routes
 * with {@code auth: [mtls]}.
 *
 * @param consumers     the known certificates, each matched by its full subject or by its subject's CN
 * @param subjectHeader sent upstream with the certificate's subject (RFC 2253), or null for none
 * @param sansHeader    sent upstream with its subject alternative names, comma-separated, or null for none
 */
public record MtlsConfig(List<Consumer> consumers, String subjectHeader, String sansHeader) {
    public MtlsConfig {
        consumers = List.copyOf(consumers);
    }

    /**
     * One known certificate holder: {@code subject} (an RFC 2253 distinguished name, compared as names) or {@code cn}
     * is set, not both.
     */
    public record Consumer(String subject, String cn, String id, List<String> roles) {
        public Consumer {
            roles = List.copyOf(roles);
        }
    }
}
