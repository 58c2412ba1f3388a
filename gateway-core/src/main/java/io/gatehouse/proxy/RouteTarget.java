package io.gatehouse.proxy;

import io.gatehouse.metrics.GatewayMetrics.RouteMeters;
import io.gatehouse.upstream.UpstreamPool;
import io.micrometer.core.instrument.Timer;

/** What a matched route leads to, resolved once per configuration: its pool and its meters. */
public record RouteTarget(UpstreamPool pool, RouteMeters meters, Timer upstreamTimer) {}
