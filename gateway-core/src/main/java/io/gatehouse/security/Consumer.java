package io.gatehouse.security;

import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Map;

/**
 * An API-key holder as configured, with what every admission of it needs built once: its request counter and
 * its admission (which sends {@code X-Consumer-Id} upstream).
 */
record Consumer(String id, List<String> roles, Counter requests, Admission.Admitted admitted) {
    static final String CONSUMER_HEADER = "X-Consumer-Id";

    static Consumer of(String id, List<String> roles, Counter requests) {
        Principal principal = new Principal(id, null, List.of(Map.entry(CONSUMER_HEADER, id)));
        return new Consumer(id, roles, requests, new Admission.Admitted(principal));
    }
}
