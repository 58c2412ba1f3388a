package io.gatehouse.security.jwt;

import io.gatehouse.config.JwtConfig;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates authenticators on a real scheduler and a clock that runs with the system's but that a test may also move
 * ahead, and closes them, and the scheduler, after each test. Register with {@code @RegisterExtension}.
 */
final class Authenticators implements AfterEachCallback {
    private final List<JwtAuthenticator> created = new ArrayList<>();
    private final AtomicLong ahead = new AtomicLong();
    private ScheduledExecutorService scheduler;

    /** Moves the authenticators' clock (JWKS refresh pacing, verified-token expiry) forward. */
    void advance(Duration duration) {
        ahead.addAndGet(duration.toNanos());
    }

    JwtAuthenticator create(JwtConfigBuilder config) {
        return create(config.build());
    }

    JwtAuthenticator create(JwtConfig config) {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor();
        }
        JwtAuthenticator authenticator = new JwtAuthenticator(config, scheduler, () -> System.nanoTime() + ahead.get());
        created.add(authenticator);
        return authenticator;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        created.forEach(JwtAuthenticator::close);
        created.clear();
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
