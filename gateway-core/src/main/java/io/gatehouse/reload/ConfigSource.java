package io.gatehouse.reload;

import io.gatehouse.config.ConfigException;

/**
 * Where the configuration's YAML text lives: a file, or a key in etcd. A source reads and writes whole documents;
 * parsing, validation and applying are the {@link ConfigInstaller}'s caller's job.
 */
public interface ConfigSource extends AutoCloseable {
    /** What log lines and the admin API call this source, e.g. {@code /etc/gatehouse/config.yml}. */
    String location();

    /**
     * The current document.
     *
     * @throws ConfigException with one clear line when it cannot be read (missing, unreadable, too large)
     */
    String read();

    /**
     * Starts watching; {@code changed} runs on the source's own thread (never an event loop) each time the document
     * may have changed. Calls may be spurious or coalesced: the caller re-reads and compares.
     */
    void watch(Runnable changed);

    /**
     * Replaces the document atomically (a file: temporary file and rename; etcd: one put).
     *
     * @throws ConfigException with one clear line when it cannot be written
     */
    void write(String yaml);

    /**
     * Whether other gateway instances read this same document (etcd). A change made through one instance's admin API
     * is then always written here: kept only in one process, it would reach no other instance and be undone by the
     * next change anyone writes.
     */
    default boolean isShared() {
        return false;
    }

    /** Stops watching and releases what the source holds. */
    @Override
    void close();
}
