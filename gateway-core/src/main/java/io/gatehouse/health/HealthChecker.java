package io.gatehouse.health;

import io.gatehouse.config.HealthCheckConfig;
import io.gatehouse.pool.Http2Channels;
import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.UpstreamPool;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Active health checks of one pool: each backend gets an HTTP GET on its own schedule, on the pool's health
 * event loop; over TLS to an https backend, with the pool's TLS context (a failed handshake is a failed probe); over
 * HTTP/2 on one stream for a pool with {@code protocol: h2} or {@code h2c}, whose backends may speak nothing else
 * ({@link Http2ProbeConnection}). The next probe is scheduled only when the last one has finished (with ±10% jitter so probes of
 * many gateways do not align), so a slow backend is never probed by overlapping requests.
 */
public final class HealthChecker {
    private final UpstreamPool pool;
    private final HealthCheckConfig check;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    private volatile boolean stopped;

    /** @param template a bootstrap with channel class and resolver set; its group is replaced by the pool's loop */
    public HealthChecker(UpstreamPool pool, Bootstrap template) {
        this.pool = pool;
        this.check = pool.config().healthCheck();
        this.loop = (EventLoop) pool.healthExecutor();
        this.bootstrap = template.clone(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) check.timeout().toMillis());
    }

    public void start() {
        loop.execute(() -> {
            for (Backend backend : pool.backends()) {
                // A small random delay, so the backends of a pool are not all probed at the same instant.
                schedule(backend, ThreadLocalRandom.current().nextLong(check.interval().toNanos() / 10 + 1));
            }
        });
    }

    public void stop() {
        stopped = true;
        loop.execute(() -> scheduled.forEach(f -> f.cancel(false)));
    }

    private void schedule(Backend backend, long delayNanos) {
        if (stopped) {
            return;
        }
        scheduled.removeIf(ScheduledFuture::isDone);
        scheduled.add(loop.schedule(() -> probe(backend), delayNanos, TimeUnit.NANOSECONDS));
    }

    private void probe(Backend backend) {
        if (stopped) {
            return;
        }
        Probe probe = new Probe(backend, check, result -> onProbeDone(backend, result));
        ChannelFuture connect = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (backend.tls() != null) {
                    ch.pipeline().addLast(backend.tls().newHandler(ch.alloc(), backend.host(), backend.port(),
                            check.timeout().toMillis()));
                }
                if (backend.protocol().multiplexed()) {
                    Http2Channels.addConnectionHandlers(ch.pipeline());
                    ch.pipeline().addLast(new Http2ProbeConnection(probe, backend.tls() != null));
                } else {
                    ch.pipeline().addLast(new HttpClientCodec(), probe);
                }
            }
        }).connect(backend.socketAddress());
        probe.watch(connect, loop);
    }

    private void onProbeDone(Backend backend, ProbeResult result) {
        if (stopped) {
            return;
        }
        pool.recordProbe(backend, result.healthy(), result.detail());
        long interval = check.interval().toNanos();
        long jitter = interval / 10;
        schedule(backend, interval - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1));
    }
}
