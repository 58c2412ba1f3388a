package io.gatehouse.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code gatehouse_tls_handshakes_total{result}}: TLS handshakes on the HTTPS listener by outcome, every result
 * registered (at 0) from the start.
 */
public final class TlsHandshakeCounters {
    /** What became of a handshake; the label is the name in lower case. */
    public enum Result {
        SUCCESS, PROTOCOL_VERSION, NO_SHARED_CIPHER, BAD_CERTIFICATE, CERTIFICATE_REQUIRED, TIMEOUT, NOT_TLS, CLOSED,
        OTHER
    }

    static final String NAME = "gatehouse.tls.handshakes";

    private final Map<Result, Counter> counters = new EnumMap<>(Result.class);

    TlsHandshakeCounters(MeterRegistry registry) {
        for (Result result : Result.values()) {
            counters.put(result, Counter.builder(NAME).tag("result", result.name().toLowerCase(Locale.ROOT))
                    .description("TLS handshakes on the HTTPS listener, by outcome").register(registry));
        }
    }

    public void count(Result result) {
        counters.get(result).increment();
    }
}
