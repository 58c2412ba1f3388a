package io.gatehouse.security;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.netty.util.AsciiString;

import java.util.Locale;

/** What every {@link Limiter} shares, wherever its buckets live: its policy, key header and decision counters. */
abstract class PolicyLimiter implements Limiter {
    private final RateLimitConfig.Policy policy;
    private final AsciiString headerName;
    private final Counter allowed;
    private final Counter limited;

    PolicyLimiter(RateLimitConfig.Policy policy, GatewayMetrics metrics) {
        this.policy = policy;
        this.headerName = policy.header() == null ? null : AsciiString.cached(policy.header().toLowerCase(Locale.ROOT));
        this.allowed = metrics.rateLimitDecisions(policy.id(), "allowed");
        this.limited = metrics.rateLimitDecisions(policy.id(), "limited");
    }

    @Override
    public final RateLimitConfig.Policy policy() {
        return policy;
    }

    @Override
    public final AsciiString headerName() {
        return headerName;
    }

    /** Counts one decision under gatehouse_rate_limit_decisions_total. */
    final void count(ConsumptionProbe probe) {
        (probe.isConsumed() ? allowed : limited).increment();
    }
}
