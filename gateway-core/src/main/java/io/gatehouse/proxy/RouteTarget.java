package io.gatehouse.proxy;

import io.gatehouse.config.TimeoutsConfig;
import io.gatehouse.context.Rejection;
import io.gatehouse.metrics.RouteMeters;
import io.gatehouse.metrics.UpstreamTimer;
import io.gatehouse.resilience.CircuitBreaker;
import io.gatehouse.upstream.UpstreamPool;
import io.gatehouse.metrics.UpstreamTimer;

/**
 * What a matched route leads to, resolved once per configuration: its pool, its meters, its timeouts (the route's
 * own over its pool's), its retry policy, its own circuit breaker ({@code null} when it has none) and its pool's
 * answer when no backend is healthy.
 */
public record RouteTarget(UpstreamPool pool, RouteMeters meters, UpstreamTimer upstreamTimer, TimeoutsConfig timeouts,
                          RetryPolicy retry, CircuitBreaker breaker, Rejection noHealthyBackend) {}
