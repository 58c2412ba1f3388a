package io.gatehouse.security.jwt;

import io.gatehouse.lifecycle.StartupGate;
import io.gatehouse.security.jwt.JwkParser.Jwk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The keys published at the JWKS URL. Readers see an immutable snapshot through a volatile field; fetches
 * replace it in the background, periodically and when a token names an unknown {@code kid}. A failed fetch
 * keeps the previous snapshot, so tokens signed with known keys still verify while the IdP is down.
 */
final class JwksCache implements StartupGate, AutoCloseable {
    /** Retry a failed fetch after at most this long rather than waiting a whole refresh interval. */
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(JwksCache.class);

    /** One snapshot of the JWKS: keys by {@code kid}, and those published without one. */
    record Keys(Map<String, VerificationKey> byKid, List<VerificationKey> withoutKid) {
    }

    private final JwksClient client;
    private final VerifierFactory verifiers;
    private final ScheduledExecutorService scheduler;
    private final Duration refresh;
    private final Duration retry;
    private final long minRefreshNanos;
    /** The fetch under way, shared by everyone who wants fresh keys; {@code null} between fetches. */
    private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final LongSupplier nanoClock;
    private volatile Keys keys = new Keys(Map.of(), List.of());
    private volatile long lastFinishedNanos;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> nextRefresh;

    JwksCache(JwksClient client, VerifierFactory verifiers, ScheduledExecutorService scheduler, Duration refresh,
              Duration minRefresh, LongSupplier nanoClock) {
        this.client = client;
        this.nanoClock = nanoClock;
        this.verifiers = verifiers;
        this.scheduler = scheduler;
        this.refresh = refresh;
        this.retry = refresh.compareTo(MAX_RETRY_DELAY) < 0 ? refresh : MAX_RETRY_DELAY;
        this.minRefreshNanos = minRefresh.toNanos();
        this.lastFinishedNanos = nanoClock.getAsLong() - minRefreshNanos; // the first unknown kid may fetch at once
    }

    /**
     * Fetches now, then again every refresh interval (sooner after a failure). Returns at once. Only the first call
     * starts anything: a cache carried over into a reloaded configuration keeps its one refresh cycle.
     */
    void start() {
        if (started.compareAndSet(false, true)) {
            refreshPeriodically();
        }
    }

    Keys keys() {
        return keys;
    }

    @Override
    public String name() {
        return "jwks";
    }

    /** Open once a fetch has succeeded (an empty set is refused, so there are keys from then on). */
    @Override
    public boolean isOpen() {
        Keys current = keys;
        return !current.byKid().isEmpty() || !current.withoutKid().isEmpty();
    }

    /**
     * For a token whose {@code kid} is not in {@link #keys()}: the fetch to wait for (joining one under way or
     * starting one), or {@code null} when the last fetch finished less than the minimum refresh interval ago
     * or the cache is closed.
     * Counting from the end, not the start, of that fetch is what guarantees a retried token is not sent to
     * wait again.
     */
    CompletableFuture<Void> refreshForUnknownKid() {
        while (!closed) {
            CompletableFuture<Void> current = inFlight.get();
            if (current != null) {
                return current;
            }
            if (nanoClock.getAsLong() - lastFinishedNanos < minRefreshNanos) {
                return null;
            }
            CompletableFuture<Void> started = tryStartFetch();
            if (started != null) {
                return started;
            }
        }
        return null;
    }

    private void refreshPeriodically() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> fetch;
        do {
            fetch = inFlight.get();
            if (fetch == null) {
                fetch = tryStartFetch();
            }
        } while (fetch == null);
        fetch.whenComplete((ignored, failure) -> scheduleRefresh(failure == null ? refresh : retry));
    }

    private void scheduleRefresh(Duration delay) {
        if (closed) {
            return;
        }
        try {
            nextRefresh = scheduler.schedule(this::refreshPeriodically, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            log.debug("JWKS refresh stops: the scheduler is shut down");
        }
    }

    /** Starts a fetch unless another thread just did; returns its future, or {@code null} if it lost the race. */
    private CompletableFuture<Void> tryStartFetch() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!inFlight.compareAndSet(null, done)) {
            return null;
        }
        CompletableFuture<List<Jwk>> fetch;
        try {
            fetch = client.fetch();
        } catch (RuntimeException e) { // e.g. the client's executor is already shut down
            fetch = CompletableFuture.failedFuture(e);
        }
        fetch.whenComplete((jwks, failure) -> finish(done, jwks, failure));
        return done;
    }

    private void finish(CompletableFuture<Void> done, List<Jwk> jwks, Throwable failure) {
        Throwable problem = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (problem == null) {
            try {
                keys = snapshot(jwks);
            } catch (IllegalArgumentException e) {
                problem = e;
            }
        }
        // Publish the new keys and the throttle before anyone can see the fetch as over.
        lastFinishedNanos = nanoClock.getAsLong();
        inFlight.compareAndSet(done, null);
        if (problem == null) {
            if (failing.getAndSet(false)) {
                log.info("JWKS fetch from {} works again", client);
            }
            done.complete(null);
        } else {
            if (!failing.getAndSet(true)) {
                log.warn("JWKS fetch from {} failed, keeping the keys cached so far: {}", client, problem.toString());
            }
            done.completeExceptionally(problem);
        }
    }

    private Keys snapshot(List<Jwk> jwks) {
        Map<String, VerificationKey> byKid = new HashMap<>();
        List<VerificationKey> withoutKid = new ArrayList<>();
        for (Jwk jwk : jwks) {
            VerificationKey key = verifiers.forPublicKey(jwk.key(), jwk.alg());
            if (key.verifiesNothing()) {
                log.warn("Skipping JWK {}: it may verify none of the allowed algorithms", jwk.kid());
            } else if (jwk.kid() == null) {
                withoutKid.add(key);
            } else if (byKid.putIfAbsent(jwk.kid(), key) != null) {
                log.warn("Skipping JWK {}: an earlier key has the same kid", jwk.kid());
            }
        }
        if (byKid.isEmpty() && withoutKid.isEmpty()) {
            // An empty set is far likelier an IdP glitch than a deliberate revocation of every key.
            throw new IllegalArgumentException("the JWKS holds no usable signing key");
        }
        return new Keys(Map.copyOf(byKid), List.copyOf(withoutKid));
    }

    /** Stops refreshing; whoever waits on a fetch under way is released with a failure. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> scheduled = nextRefresh;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        client.close();
        CompletableFuture<Void> current = inFlight.get();
        if (current != null) {
            current.completeExceptionally(new IllegalStateException("JWT authenticator closed"));
        }
    }
}
