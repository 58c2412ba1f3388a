package io.gatehouse.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches the directories of the certificate entries' files on one daemon thread of its own and reports which
 * entries may have changed, after the directory has been quiet for the settle time (so that a certificate and key
 * written one after the other, or a file rewritten in place, are read once, complete). An event concerns an entry
 * when it names one of its files (a rename into place, an in-place write, a replaced symlink), names a
 * {@code ..}-prefixed entry (the {@code ..data} link Kubernetes swaps in a mounted secret), or says events were
 * lost. Every {@code recheck} it also reports every entry, as a safety net for changes no event showed (a
 * directory swapped above the watched one, a network file system); the receiver compares contents.
 */
final class CertificateWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificateWatcher.class);

    private final WatchService service;
    /** Per watched directory: the entries of each file name in it. */
    private final Map<WatchKey, Map<String, Set<Integer>>> directories;
    private final Set<Integer> everyEntry;
    private final long settleNanos;
    private final long recheckNanos;
    private final Consumer<Set<Integer>> changed;
    private final Thread thread;

    private CertificateWatcher(WatchService service, Map<WatchKey, Map<String, Set<Integer>>> directories,
                               Set<Integer> everyEntry, Duration settle, Duration recheck,
                               Consumer<Set<Integer>> changed) {
        this.service = service;
        this.directories = directories;
        this.everyEntry = everyEntry;
        this.settleNanos = settle.toNanos();
        this.recheckNanos = recheck.toNanos();
        this.changed = changed;
        this.thread = new Thread(this::run, "gatehouse-tls-certificate-watch");
        thread.setDaemon(true);
    }

    /**
     * Starts watching.
     *
     * @param filesByEntry the files of each entry (its certificate and its key), by entry index
     * @param changed      called on the watch thread with the indexes of the entries to re-read
     * @throws IOException when a directory cannot be watched
     */
    static CertificateWatcher start(List<List<Path>> filesByEntry, Duration settle, Duration recheck,
                                    Consumer<Set<Integer>> changed) throws IOException {
        Map<Path, Map<String, Set<Integer>>> byDirectory = new HashMap<>();
        Set<Integer> everyEntry = new TreeSet<>();
        for (int entry = 0; entry < filesByEntry.size(); entry++) {
            everyEntry.add(entry);
            for (Path file : filesByEntry.get(entry)) {
                Path absolute = file.toAbsolutePath().normalize();
                byDirectory.computeIfAbsent(absolute.getParent(), d -> new HashMap<>())
                        .computeIfAbsent(absolute.getFileName().toString(), f -> new TreeSet<>()).add(entry);
            }
        }
        WatchService service = null;
        try {
            service = filesByEntry.get(0).get(0).getFileSystem().newWatchService();
            Map<WatchKey, Map<String, Set<Integer>>> directories = new HashMap<>();
            for (Map.Entry<Path, Map<String, Set<Integer>>> directory : byDirectory.entrySet()) {
                WatchKey key = directory.getKey().register(service, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                directories.put(key, directory.getValue());
            }
            CertificateWatcher watcher = new CertificateWatcher(service, directories, everyEntry, settle, recheck,
                    changed);
            watcher.thread.start();
            return watcher;
        } catch (IOException | RuntimeException e) {
            if (service != null) {
                service.close();
            }
            throw e;
        }
    }

    private void run() {
        Set<Integer> pending = new TreeSet<>();
        long settledAt = 0;
        long recheckAt = System.nanoTime() + recheckNanos;
        try {
            while (true) {
                long wakeAt = pending.isEmpty() ? recheckAt : Math.min(settledAt, recheckAt);
                long wait = wakeAt - System.nanoTime();
                WatchKey key = wait > 0 ? service.poll(wait, TimeUnit.NANOSECONDS) : service.poll();
                if (key != null && concerned(key, pending)) {
                    settledAt = System.nanoTime() + settleNanos; // any event for an entry restarts its quiet time
                }
                long now = System.nanoTime();
                if (now - recheckAt >= 0) {
                    recheckAt = now + recheckNanos;
                    settledAt = pending.isEmpty() ? now : settledAt; // a change still settling keeps its quiet time
                    pending.addAll(everyEntry);
                }
                if (!pending.isEmpty() && now - settledAt >= 0) {
                    report(Set.copyOf(pending));
                    pending.clear();
                }
            }
        } catch (ClosedWatchServiceException e) {
            // closed: stop watching
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drains the key's events into {@code pending} and re-arms it; true when one concerned an entry. */
    private boolean concerned(WatchKey key, Set<Integer> pending) {
        Map<String, Set<Integer>> files = directories.get(key);
        boolean concerned = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            Set<Integer> entries = null;
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                entries = entriesOf(files);
            } else if (event.context() instanceof Path name) {
                String file = name.toString();
                entries = file.startsWith("..") ? entriesOf(files) : files.get(file);
            }
            if (entries != null) {
                pending.addAll(entries);
                concerned = true;
            }
        }
        if (!key.reset()) {
            log.warn("{}: the directory is gone; its certificates are only re-checked every {} s now",
                    key.watchable(), TimeUnit.NANOSECONDS.toSeconds(recheckNanos));
        }
        return concerned;
    }

    private static Set<Integer> entriesOf(Map<String, Set<Integer>> files) {
        Set<Integer> entries = new TreeSet<>();
        files.values().forEach(entries::addAll);
        return entries;
    }

    private void report(Set<Integer> entries) {
        try {
            changed.accept(entries);
        } catch (RuntimeException e) {
            log.error("TLS certificate reload failed unexpectedly for entries {}", entries, e);
        }
    }

    /** Stops the thread (its wait ends with ClosedWatchServiceException); a reload already running finishes. */
    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // closing an inotify descriptor does not fail in a way worth reporting
        }
    }
}
