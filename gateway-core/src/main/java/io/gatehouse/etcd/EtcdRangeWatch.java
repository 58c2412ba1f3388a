package io.gatehouse.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows one etcd key, or every key under a prefix, without missing a change: reads the range (or starts from a
 * revision the caller already read), then watches from the next revision. The handler runs on this watch's own
 * thread, never on jetcd's or an event loop.
 *
 * <p>A lost connection is logged once (and its end once); the handler keeps what it last saw. jetcd resumes a
 * watch from its last revision when etcd comes back; a watch that etcd ends (e.g. its revision was compacted) is
 * replaced by a fresh read, retried with exponential backoff.
 */
public final class EtcdRangeWatch implements AutoCloseable {
    /** Told what the range holds; every call runs on the watch's thread. */
    public interface Handler {
        /** The whole range as read (it may be empty): replaces everything seen before. */
        void snapshot(List<KeyValue> keyValues);

        /** Changes since the last snapshot or events, in revision order. */
        void events(List<WatchEvent> events);
    }

    private static final Logger log = LoggerFactory.getLogger(EtcdRangeWatch.class);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long MAX_RETRY_MILLIS = 10_000;

    private final Client client;
    private final String description;
    private final ByteSequence key;
    private final boolean prefix;
    private final Handler handler;
    private final ScheduledExecutorService thread;

    // Confined to the watch's thread.
    private Watch.Watcher watcher;
    private boolean created;
    private long generation;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private boolean lost;
    private volatile boolean closed;

    /**
     * @param description what is followed, for log lines, e.g. {@code the members of pool users}
     * @param prefix      whether {@code key} is a prefix whose keys are all followed
     */
    public EtcdRangeWatch(Client client, String description, String key, boolean prefix, Handler handler) {
        this.client = Objects.requireNonNull(client, "client");
        this.description = Objects.requireNonNull(description, "description");
        this.key = ByteSequence.from(key, StandardCharsets.UTF_8);
        this.prefix = prefix;
        this.handler = Objects.requireNonNull(handler, "handler");
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "gatehouse-etcd-watch");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.thread = executor;
    }

    /** Reads the range, reports it, then watches for changes; returns at once. */
    public void start() {
        onThread(this::read);
    }

    /** Watches from {@code revision} on (the one after a read the caller made itself); returns at once. */
    public void startFrom(long revision) {
        onThread(() -> watchFrom(revision));
    }

    private void read() {
        long readGeneration = ++generation;
        stopWatcher();
        GetOption option = GetOption.builder().isPrefix(prefix).build();
        client.getKVClient().get(key, option)
                .orTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((response, failure) -> onThread(readGeneration, () -> {
                    if (failure != null) {
                        connectionLost(failure);
                        retryLater();
                    } else {
                        readSucceeded(response);
                    }
                }));
    }

    private void readSucceeded(GetResponse response) {
        connectionBack();
        retryMillis = FIRST_RETRY_MILLIS;
        handler.snapshot(response.getKvs());
        watchFrom(response.getHeader().getRevision() + 1);
    }

    private void watchFrom(long revision) {
        long watchGeneration = ++generation;
        stopWatcher();
        WatchOption option = WatchOption.builder().isPrefix(prefix).withRevision(revision).withCreateNotify(true).build();
        created = false;
        watcher = client.getWatchClient().watch(key, option, Watch.listener(
                response -> onThread(watchGeneration, () -> received(response)),
                failure -> onThread(watchGeneration, () -> connectionLost(failure)),
                () -> onThread(watchGeneration, this::watchEnded)));
        // A watch asked for while etcd is away waits for it silently (jetcd calls wait for a ready connection).
        schedule(() -> onThread(watchGeneration, () -> {
            if (!created) {
                connectionLost(new TimeoutException());
            }
        }), READ_TIMEOUT.toMillis());
    }

    /** Runs {@code action} on the watch's thread unless a newer read or watch replaced the one it belongs to. */
    private void onThread(long callbackGeneration, Runnable action) {
        onThread(() -> {
            if (callbackGeneration == generation) {
                action.run();
            }
        });
    }

    private void onThread(Runnable action) {
        try {
            thread.execute(() -> {
                if (closed) {
                    return;
                }
                try {
                    action.run();
                } catch (RuntimeException e) {
                    // A scheduled task's exception would vanish in its future: the handler's bug goes to the log.
                    log.error("etcd: following {} at {} failed", description, key(), e);
                }
            });
        } catch (RejectedExecutionException afterClose) {
            // closed: nothing more to do
        }
    }

    private void received(WatchResponse response) {
        created = true;
        connectionBack();
        retryMillis = FIRST_RETRY_MILLIS;
        List<WatchEvent> events = response.getEvents();
        if (!events.isEmpty()) {
            handler.events(events);
        }
    }

    /** etcd ended the watch for good (jetcd resumes it by itself only after a lost connection): read afresh. */
    private void watchEnded() {
        log.info("etcd watch of {} ({}) ended; reading it again", key(), description);
        retryLater();
    }

    private void retryLater() {
        long delay = retryMillis;
        retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
        schedule(this::read, delay);
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            thread.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException afterClose) {
            // closed meanwhile
        }
    }

    private void connectionLost(Throwable failure) {
        if (!lost) {
            lost = true;
            log.warn("etcd: lost {} at {} ({}); keeping the last known state and retrying", description, key(),
                    reason(failure));
        }
    }

    private void connectionBack() {
        if (lost) {
            lost = false;
            log.info("etcd: following {} at {} again", description, key());
        }
    }

    private void stopWatcher() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    private String key() {
        return key.toString(StandardCharsets.UTF_8);
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return "no answer within " + READ_TIMEOUT.toSeconds() + " s";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** Stops watching; the handler is not called again once this returns, except for a call already running. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.execute(this::stopWatcher);
        } catch (RejectedExecutionException closedBefore) {
            return;
        }
        thread.shutdown();
    }
}
