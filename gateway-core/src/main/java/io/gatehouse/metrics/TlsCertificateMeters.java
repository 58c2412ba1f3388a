package io.gatehouse.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one TLS certificate entry, labelled with its name: when the certificate in use expires, and how its
 * reloads from disk went. Every series exists from the start (the counters at 0).
 */
public final class TlsCertificateMeters {
    static final String EXPIRY = "gatehouse.tls.certificate.expiry";
    static final String RELOADS = "gatehouse.tls.certificate.reloads";
    static final String RELOAD_FAILURES = "gatehouse.tls.certificate.reload.failures";

    private final AtomicLong notAfterSeconds = new AtomicLong();
    private final Counter reloads;
    private final Counter failures;

    TlsCertificateMeters(MeterRegistry registry, String name) {
        Gauge.builder(EXPIRY, notAfterSeconds, AtomicLong::get).tag("name", name).baseUnit("seconds")
                .description("When the certificate in use expires (its notAfter), as Unix time in seconds")
                .register(registry);
        reloads = Counter.builder(RELOADS).tag("name", name)
                .description("Certificates reloaded from disk after their files changed").register(registry);
        failures = Counter.builder(RELOAD_FAILURES).tag("name", name)
                .description("Changed certificate files refused (unreadable, key not matching, expired); the "
                        + "certificate in use stayed").register(registry);
    }

    /** The certificate now in use (at start or after a reload) expires at {@code notAfter}. */
    public void inUse(Instant notAfter) {
        notAfterSeconds.set(notAfter.getEpochSecond());
    }

    public void reloaded() {
        reloads.increment();
    }

    public void refused() {
        failures.increment();
    }
}
