package io.gatehouse.security;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.context.Rejection;
import io.github.bucket4j.ConsumptionProbe;
import io.netty.util.AsciiString;

import java.util.concurrent.CompletableFuture;

/** One rate-limit policy's buckets, wherever they live. */
interface Limiter {
    RateLimitConfig.Policy policy();

    /** The request header keying the buckets, for {@code header:NAME} policies; else null. */
    AsciiString headerName();

    /**
     * Takes one token from {@code key}'s bucket. A local bucket answers at once; a remote one completes later, on
     * another thread, possibly exceptionally.
     */
    CompletableFuture<ConsumptionProbe> acquire(BucketKey key);

    /** What a failed {@link #acquire} means: null to admit the request anyway, else the refusal. */
    Rejection onFailure(Throwable cause);
}
