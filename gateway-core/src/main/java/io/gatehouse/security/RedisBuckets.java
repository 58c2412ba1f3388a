package io.gatehouse.security;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.context.Rejection;
import io.gatehouse.lifecycle.StartupGate;
import io.gatehouse.metrics.GatewayMetrics;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Redis store that gateway instances share their rate-limit buckets through: one Lettuce connection
 * (asynchronous, reconnecting on its own), Bucket4j's compare-and-swap proxy manager on top, and what happens when
 * Redis cannot answer in time ({@code on_error}): admit or refuse, counted, with one warning per outage.
 */
final class RedisBuckets implements StartupGate, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisBuckets.class);

    private final RateLimitConfig.Redis config;
    private final RedisClient client;
    private final Counter fallbacks;
    private final Rejection unavailable = Rejection.of(HttpResponseStatus.SERVICE_UNAVAILABLE,
            "rate_limit_unavailable", "the rate-limit store is unreachable; try again shortly")
            .withHeader(HttpHeaderNames.RETRY_AFTER, 1);
    /** A key nothing writes: read once after connecting, to see Redis answer through the path checks take. */
    private static final byte[] READINESS_KEY = "gatehouse:readiness-probe".getBytes(StandardCharsets.UTF_8);

    private final AtomicBoolean inOutage = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final java.util.concurrent.ScheduledExecutorService scheduler;
    private volatile boolean closed;
    private volatile boolean answeredOnce;
    private volatile AsyncProxyManager<byte[]> buckets;
    private volatile StatefulRedisConnection<byte[], byte[]> connection;

    /** @param scheduler retries the first connection while Redis is unreachable (tasks never block) */
    RedisBuckets(RateLimitConfig.Redis config, GatewayMetrics metrics,
                 java.util.concurrent.ScheduledExecutorService scheduler) {
        this.config = config;
        this.scheduler = scheduler;
        this.client = RedisClient.create();
        this.fallbacks = metrics.rateLimitFallbacks(config.allowOnError() ? "allow" : "deny");
    }

    /**
     * Connects in the background, trying again every second until the first connection is made (Lettuce
     * reconnects an established connection by itself); until then checks take the {@code on_error} path. Only the
     * first call connects: a store carried over into a reloaded configuration keeps its connection.
     */
    void start() {
        if (started.compareAndSet(false, true)) {
            connect(true);
        }
    }

    private void connect(boolean first) {
        if (closed) {
            return;
        }
        client.connectAsync(ByteArrayCodec.INSTANCE, RedisURI.create(config.uri())).whenComplete((conn, error) -> {
            if (error != null) {
                if (first) {
                    log.warn("rate limits: cannot connect to Redis at {}: {} (on_error: {}; retrying every second)",
                            config.uri(), error.getMessage(), config.allowOnError() ? "allow" : "deny");
                }
                scheduler.schedule(() -> connect(false), 1, java.util.concurrent.TimeUnit.SECONDS);
                return;
            }
            if (closed) {
                conn.closeAsync();
                return;
            }
            if (!first) {
                log.info("rate limits: connected to Redis at {}", config.uri());
            }
            connection = conn;
            AsyncProxyManager<byte[]> manager = Bucket4jLettuce.casBasedBuilder(conn)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                            Duration.ofSeconds(10)))
                    .build().asAsync();
            buckets = manager;
            // The startup gate opens on the first answer, so the first requests after /readyz neither wait for
            // the connection nor pay for loading the code of a round trip (which, cold, can outlast timeout).
            manager.getProxyConfiguration(READINESS_KEY).thenRun(this::answered);
        });
    }

    @Override
    public String name() {
        return "redis";
    }

    /** Open once Redis has answered a read or a check; Lettuce reconnects by itself after that. */
    @Override
    public boolean isOpen() {
        return answeredOnce;
    }

    /** The shared buckets, or null while not connected. */
    AsyncProxyManager<byte[]> buckets() {
        return buckets;
    }

    /** The settings it connects with: a reload keeps the connection only when they are unchanged. */
    RateLimitConfig.Redis config() {
        return config;
    }

    Duration timeout() {
        return config.timeout();
    }

    /** A read or check that Redis answered: opens the startup gate, ends an outage. */
    void answered() {
        if (!answeredOnce) {
            answeredOnce = true;
        }
        if (inOutage.compareAndSet(true, false)) {
            log.info("rate limits: Redis at {} answers again", config.uri());
        }
    }

    /** A check Redis did not answer in time: counted, logged once per outage, then admitted or refused. */
    Rejection failed(Throwable cause) {
        fallbacks.increment();
        if (inOutage.compareAndSet(false, true)) {
            log.warn("rate limits: Redis at {} is not answering ({}); on_error: {} until it does", config.uri(),
                    cause.getClass().getSimpleName(), config.allowOnError() ? "allow" : "deny");
        }
        return config.allowOnError() ? null : unavailable;
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<byte[], byte[]> conn = connection;
        if (conn != null) {
            conn.closeAsync();
        }
        client.shutdownAsync(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
