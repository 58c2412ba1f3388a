package io.gatehouse.reload;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.reload.ReloadOutcome.Result;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Applies new configurations to a running gateway, one at a time, on its own thread ({@code gatehouse-reload}):
 * every trigger (the file watch, SIGHUP, the admin API, etcd) queues here, so two reloads never interleave.
 *
 * <p>A reload parses and validates the whole document with the same path-precise errors as at startup, refuses a
 * change to a key that cannot change while running ({@link RestartOnlyKeys}), does nothing when the result equals
 * the running config in meaning ({@code unchanged}), and otherwise hands it to the {@link ConfigInstaller}, which
 * compiles it completely before swapping it in ({@code applied}). Any error leaves the running config in force
 * ({@code rejected}), logged once as one WARN. Each outcome is counted in
 * {@code gatehouse_config_reloads_total{result}} and kept in {@link #history()}.
 */
public final class ConfigReloader implements AutoCloseable {
    /** Outcomes kept for {@link #history()}. */
    public static final int HISTORY_SIZE = 32;
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    private final ConfigSource source;
    private final ConfigInstaller installer;
    private final Map<String, String> env;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final Map<Result, Counter> outcomes = new EnumMap<>(Result.class);
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread reloads = new Thread(runnable, "gatehouse-reload");
        reloads.setDaemon(true);
        return reloads;
    });
    /** Guarded by itself; newest first. */
    private final Deque<ReloadOutcome> history = new ArrayDeque<>();
    /** The source's text as last read or written; only the reload thread touches it after construction. */
    private String sourceText;
    /**
     * The text of the config in force (a non-persisted admin change makes it differ from the source); what
     * {@link #edit} changes. Only the reload thread touches it after construction.
     */
    private String runningText;

    /**
     * @param runningText the source's text the running config was loaded from (a watch event that leaves it as it
     *                    is reloads nothing)
     * @param env         the environment {@code ${VAR}} and {@code GATEWAY_PORT} are read from
     * @param nanoClock   measures each reload's duration
     */
    public ConfigReloader(ConfigSource source, ConfigInstaller installer, String runningText, Map<String, String> env,
                          GatewayMetrics metrics, Clock clock, LongSupplier nanoClock) {
        this.source = Objects.requireNonNull(source, "source");
        this.installer = Objects.requireNonNull(installer, "installer");
        this.sourceText = Objects.requireNonNull(runningText, "runningText");
        this.runningText = runningText;
        this.env = Map.copyOf(env);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        for (Result result : Result.values()) {
            outcomes.put(result, metrics.configReloads(result.label()));
        }
    }

    /** With the system clocks. */
    public ConfigReloader(ConfigSource source, ConfigInstaller installer, String runningText, Map<String, String> env,
                          GatewayMetrics metrics) {
        this(source, installer, runningText, env, metrics, Clock.systemUTC(), System::nanoTime);
    }

    /** Reads the source and applies what it holds. */
    public CompletableFuture<ReloadOutcome> reload(String trigger) {
        Objects.requireNonNull(trigger, "trigger");
        return submit(() -> reloadFromSource(trigger));
    }

    /**
     * For {@link ConfigSource#watch}: reloads when the source's text differs from what was last read or written
     * (watch events may be spurious, and a {@link #apply persisted} change comes back as one).
     */
    public void sourceChanged(String trigger) {
        Objects.requireNonNull(trigger, "trigger");
        try {
            thread.execute(() -> {
                String text;
                try {
                    text = source.read();
                } catch (ConfigException e) {
                    record(rejected(trigger, e.errors(), nanoClock.getAsLong()));
                    return;
                }
                if (!text.equals(sourceText)) {
                    sourceText = text;
                    record(applyText(text, source.location(), trigger, false));
                }
            });
        } catch (RejectedExecutionException e) {
            // closed: the gateway is stopping
        }
    }

    /**
     * Applies {@code yaml} (e.g. from the admin API); with {@code persist}, or always when the source
     * {@link ConfigSource#isShared is shared}, an applied (or unchanged) document is then written to the source, so
     * that a restart (and every other instance) keeps it.
     */
    public CompletableFuture<ReloadOutcome> apply(String yaml, String trigger, boolean persist) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(trigger, "trigger");
        boolean write = persist || persistsEveryChange();
        return submit(() -> record(applyText(yaml, "<" + trigger + ">", trigger, write)));
    }

    /**
     * Applies {@code change} to the text of the config in force, as one step on the reload thread, so that two
     * edits (the admin API's route and pool changes) never lose one another; otherwise as {@link #apply}. When
     * {@code change} throws, the future completes with its exception and nothing is applied.
     */
    public CompletableFuture<ReloadOutcome> edit(UnaryOperator<String> change, String trigger, boolean persist) {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(trigger, "trigger");
        boolean write = persist || persistsEveryChange();
        return submit(() -> record(applyText(change.apply(runningText), "<" + trigger + ">", trigger, write)));
    }

    /** True when every applied change is written to the source, asked or not (etcd: other instances read it). */
    public boolean persistsEveryChange() {
        return source.isShared();
    }

    /** The text of the config in force, once the reloads queued before this call are done. */
    public CompletableFuture<String> runningText() {
        return submit(() -> runningText);
    }

    /** The errors that would reject {@code yaml}, or the diff it would apply; changes nothing. */
    public CompletableFuture<Validation> validate(String yaml) {
        Objects.requireNonNull(yaml, "yaml");
        return submit(() -> {
            try {
                GatewayConfig running = installer.current();
                GatewayConfig next = checked(yaml, "<candidate>", running);
                return new Validation(List.of(), ConfigDiff.between(running, next));
            } catch (ConfigException e) {
                return new Validation(e.errors(), ConfigDiff.NONE);
            }
        });
    }

    /** The last {@value #HISTORY_SIZE} outcomes, newest first. */
    public List<ReloadOutcome> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    private ReloadOutcome reloadFromSource(String trigger) {
        long start = nanoClock.getAsLong();
        String text;
        try {
            text = source.read();
        } catch (ConfigException e) {
            return record(rejected(trigger, e.errors(), start));
        }
        sourceText = text; // a watch event with the same text is not a change
        return record(applyText(text, source.location(), trigger, false));
    }

    private ReloadOutcome applyText(String yaml, String sourceName, String trigger, boolean persist) {
        long start = nanoClock.getAsLong();
        GatewayConfig running = installer.current();
        GatewayConfig next;
        try {
            next = checked(yaml, sourceName, running);
        } catch (ConfigException e) {
            return rejected(trigger, e.errors(), start);
        }
        if (next.equals(running)) {
            runningText = yaml;
            return outcome(trigger, Result.UNCHANGED, persistIfAsked(yaml, persist), ConfigDiff.NONE, start);
        }
        ConfigDiff diff = ConfigDiff.between(running, next);
        try {
            installer.install(next);
        } catch (ConfigException e) {
            return rejected(trigger, e.errors(), start);
        } catch (RuntimeException e) {
            log.error("config reload (trigger {}) failed while installing", trigger, e);
            return rejected(trigger, List.of("(root): the gateway could not install this config (see the log)"),
                    start);
        }
        runningText = yaml;
        Duration took = Duration.ofNanos(nanoClock.getAsLong() - start); // the write is not part of applying
        return new ReloadOutcome(clock.instant(), trigger, Result.APPLIED, persistIfAsked(yaml, persist), diff, took);
    }

    /** Parsed, validated, and changing no key that must stay as it is. */
    private GatewayConfig checked(String yaml, String sourceName, GatewayConfig running) {
        GatewayConfig next = ConfigLoader.parse(yaml, sourceName, env);
        List<String> fixed = RestartOnlyKeys.changed(running, next);
        if (!fixed.isEmpty()) {
            throw new ConfigException(fixed);
        }
        return next;
    }

    /**
     * Writes {@code yaml} to the source when asked. A failed write leaves the change applied but not persisted:
     * returns the error, which the outcome carries.
     */
    private List<String> persistIfAsked(String yaml, boolean persist) {
        if (!persist) {
            return List.of();
        }
        try {
            source.write(yaml);
            sourceText = yaml; // the watch event this write causes is not a change
            return List.of();
        } catch (ConfigException e) {
            return e.errors();
        }
    }

    private ReloadOutcome rejected(String trigger, List<String> errors, long start) {
        return outcome(trigger, Result.REJECTED, errors, ConfigDiff.NONE, start);
    }

    private ReloadOutcome outcome(String trigger, Result result, List<String> errors, ConfigDiff diff, long start) {
        Duration took = Duration.ofNanos(nanoClock.getAsLong() - start);
        return new ReloadOutcome(clock.instant(), trigger, result, errors, diff, took);
    }

    /** Logs (once), counts and keeps {@code outcome}. */
    private ReloadOutcome record(ReloadOutcome outcome) {
        long millis = outcome.duration().toMillis();
        switch (outcome.result()) {
            case APPLIED -> log.info("config reload applied (trigger {}, {} ms): {}", outcome.trigger(), millis,
                    outcome.diff().summary());
            case UNCHANGED -> log.info("config reload unchanged (trigger {}): the config is the same in meaning",
                    outcome.trigger());
            case REJECTED -> log.warn("config reload rejected (trigger {}); the running config stays:\n  {}",
                    outcome.trigger(), String.join("\n  ", outcome.errors()));
        }
        if (outcome.result() != Result.REJECTED && !outcome.errors().isEmpty()) {
            log.warn("config {} but not persisted to {}: {}", outcome.result().label(), source.location(),
                    String.join("; ", outcome.errors()));
        }
        outcomes.get(outcome.result()).increment();
        synchronized (history) {
            history.addFirst(outcome);
            if (history.size() > HISTORY_SIZE) {
                history.removeLast();
            }
        }
        return outcome;
    }

    private <T> CompletableFuture<T> submit(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the reloader is closed"));
        }
    }

    /** Lets a reload in progress finish (for a few seconds at most); later requests fail. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
