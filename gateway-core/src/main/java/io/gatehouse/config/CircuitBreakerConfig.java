package io.gatehouse.config;

import java.time.Duration;

/**
 * A pool's {@code circuit_breaker:}, one breaker per backend, or a route's own. For a backend, a failure is a
 * connection that could not be opened, a connection lost before the response head, a response timeout, a 5xx
 * response, or a response body the backend broke off; a route judges each request's final outcome.
 *
 * @param failureRatePercent  open when at least this share of the calls in {@code window} failed; 0 for never
 * @param minimumCalls        the failure rate counts only once the window holds this many calls
 * @param window              how far back the failure rate looks
 * @param consecutiveFailures open after this many failures in a row, whatever the rate; 0 for never
 * @param openFor             how long an open breaker keeps its backend out before letting probes through
 * @param halfOpenProbes      requests let through while half-open; all must succeed to close the breaker
 */
public record CircuitBreakerConfig(int failureRatePercent, int minimumCalls, Duration window,
                                   int consecutiveFailures, Duration openFor, int halfOpenProbes) {}
