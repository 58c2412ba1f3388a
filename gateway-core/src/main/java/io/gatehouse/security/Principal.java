package io.gatehouse.security;

import java.util.List;
import java.util.Map;

/**
 * Who a request was admitted as.
 *
 * @param consumerId      the API key's consumer, or {@code null}
 * @param subject         the token's {@code sub}, or {@code null}
 * @param upstreamHeaders headers to add upstream (consumer id, forwarded claims), in order
 */
public record Principal(String consumerId, String subject, List<Map.Entry<String, String>> upstreamHeaders) {
    public static final Principal ANONYMOUS = new Principal(null, null, List.of());

    /** The identity to log: the consumer id, else the subject, else null. */
    public String logName() {
        return consumerId != null ? consumerId : subject;
    }
}
