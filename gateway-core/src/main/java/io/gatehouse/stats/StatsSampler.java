package io.gatehouse.stats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Takes a {@link RouteStats} sample once a second on its own daemon thread, {@code gatehouse-stats}. */
public final class StatsSampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsSampler.class);

    private final ScheduledExecutorService timer;

    private StatsSampler(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static StatsSampler start(RouteStats stats) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-stats");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                stats.sample();
            } catch (RuntimeException e) { // a failure thrown out of here would end the sampling for good
                log.error("sampling the route statistics failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        return new StatsSampler(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
