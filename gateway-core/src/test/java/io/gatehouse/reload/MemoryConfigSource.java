package io.gatehouse.reload;

import io.gatehouse.config.ConfigException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A config source holding its document in memory; it can be made to fail reading or writing. */
final class MemoryConfigSource implements ConfigSource {
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private volatile String text;
    private volatile String readError;
    private volatile String writeError;

    MemoryConfigSource(String text) {
        this.text = text;
    }

    @Override
    public String location() {
        return "memory.yml";
    }

    @Override
    public String read() {
        if (readError != null) {
            throw new ConfigException(readError);
        }
        return text;
    }

    @Override
    public void watch(Runnable changed) {
        throw new UnsupportedOperationException("tests call ConfigReloader.sourceChanged themselves");
    }

    @Override
    public void write(String yaml) {
        if (writeError != null) {
            throw new ConfigException(writeError);
        }
        writes.add(yaml);
        text = yaml;
    }

    void set(String yaml) {
        text = yaml;
    }

    void failReads(String error) {
        readError = error;
    }

    void failWrites(String error) {
        writeError = error;
    }

    List<String> writes() {
        return List.copyOf(writes);
    }

    @Override
    public void close() {
    }
}
