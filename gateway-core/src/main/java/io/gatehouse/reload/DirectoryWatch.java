package io.gatehouse.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Watches one directory on its own daemon thread and reports, debounced, changes that may concern one file in it:
 * an event naming the file, an event naming a {@code ..}-prefixed entry (the {@code ..data} link and
 * {@code ..2024_...} directories Kubernetes swaps to update a ConfigMap volume), or an overflow (events were lost).
 * After such an event the directory must stay quiet for the debounce time; then {@code changed} runs, once, on
 * this thread.
 */
final class DirectoryWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DirectoryWatch.class);

    private final WatchService service;
    private final Path directory;
    private final String fileName;
    private final long debounceNanos;
    private final Runnable changed;
    private final Thread thread;

    private DirectoryWatch(WatchService service, Path directory, String fileName, Duration debounce,
                           Runnable changed) {
        this.service = service;
        this.directory = directory;
        this.fileName = fileName;
        this.debounceNanos = debounce.toNanos();
        this.changed = changed;
        this.thread = new Thread(this::run, "gatehouse-config-watch");
        thread.setDaemon(true);
    }

    /** @throws UncheckedIOException when the directory cannot be watched (e.g. it does not exist) */
    static DirectoryWatch start(Path directory, String fileName, Duration debounce, Runnable changed) {
        WatchService service = null;
        try {
            service = directory.getFileSystem().newWatchService();
            directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            closeQuietly(service);
            throw new UncheckedIOException("cannot watch " + directory + ": " + e.getMessage(), e);
        }
        DirectoryWatch watch = new DirectoryWatch(service, directory, fileName, debounce, changed);
        watch.thread.start();
        return watch;
    }

    private void run() {
        try {
            while (true) {
                if (!concernsFile(service.take())) {
                    continue;
                }
                WatchKey more;
                while ((more = service.poll(debounceNanos, TimeUnit.NANOSECONDS)) != null) {
                    concernsFile(more); // any event in the directory restarts the quiet time
                }
                report();
            }
        } catch (ClosedWatchServiceException e) {
            // closed: stop watching
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drains the key's events and re-arms it; true when one of them may concern the file. */
    private boolean concernsFile(WatchKey key) {
        boolean concerns = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                concerns = true;
            } else if (event.context() instanceof Path name) {
                String entry = name.toString();
                concerns |= entry.equals(fileName) || entry.startsWith("..");
            }
        }
        if (!key.reset()) {
            log.warn("{}: the directory is gone; stopped watching it for config changes", directory);
            closeQuietly(service);
        }
        return concerns;
    }

    private void report() {
        try {
            changed.run();
        } catch (RuntimeException e) {
            log.error("config watch callback failed for {}", directory.resolve(fileName), e);
        }
    }

    private static void closeQuietly(WatchService service) {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (IOException e) {
            // closing an inotify descriptor does not fail in a way worth reporting
        }
    }

    /** Stops the thread (its wait ends with ClosedWatchServiceException); a report already running finishes. */
    @Override
    public void close() {
        closeQuietly(service);
    }
}
