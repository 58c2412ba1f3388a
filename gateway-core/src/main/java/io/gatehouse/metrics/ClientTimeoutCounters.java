package io.gatehouse.metrics;

import io.micrometer.core.instrument.Counter;

/**
 * {@code gatehouse_client_timeouts_total{kind}}: client connections the gateway gave up on because the client was
 * too slow, by what the gateway was waiting for.
 *
 * @param header  the rest of a request head ({@code server.timeouts.request_header})
 * @param body    the next bytes of a request body ({@code request_body})
 * @param send    the client to take more of a response ({@code send})
 * @param discard the rest of a refused request's body ({@code discard_body})
 */
public record ClientTimeoutCounters(Counter header, Counter body, Counter send, Counter discard) {}
