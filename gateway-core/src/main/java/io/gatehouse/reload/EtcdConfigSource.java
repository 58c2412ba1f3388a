package io.gatehouse.reload;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.etcd.EtcdClients;
import io.gatehouse.etcd.EtcdLocation;
import io.gatehouse.etcd.EtcdRangeWatch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The configuration in one etcd key ({@code etcd://host:port[,host:port]/key}), shared by every instance pointed at
 * it: read and written whole, watched from the revision last read so no change is missed. While etcd is away the
 * watch retries by itself and the running configuration stays in force; {@link #read} and {@link #write} fail with
 * one clear line after {@link #TIMEOUT}. Reads and writes block the calling thread (never call them on an event
 * loop).
 */
public final class EtcdConfigSource implements ConfigSource {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final EtcdLocation location;
    private final Client client;
    private final ByteSequence key;
    private volatile long lastReadRevision;
    private EtcdRangeWatch watch;

    EtcdConfigSource(EtcdLocation location, Client client) {
        this.location = Objects.requireNonNull(location, "location");
        this.client = Objects.requireNonNull(client, "client");
        this.key = ByteSequence.from(location.key(), StandardCharsets.UTF_8);
    }

    /** The source at {@code location}, on the shared client of its cluster. */
    public static EtcdConfigSource open(EtcdLocation location, EtcdClients clients) {
        return new EtcdConfigSource(location, clients.client(location.endpoints()));
    }

    /** Every instance pointed at the key reads it, so admin changes are always written to it. */
    @Override
    public boolean isShared() {
        return true;
    }

    @Override
    public String location() {
        return location.text();
    }

    @Override
    public String read() {
        GetResponse response = await(client.getKVClient().get(key), "read");
        List<KeyValue> values = response.getKvs();
        if (values.isEmpty()) {
            throw new ConfigException(location + ": no such key (expected: the YAML configuration at key "
                    + location.key() + ", e.g. written with: etcdctl put " + location.key() + " < config.yml)");
        }
        ByteSequence value = values.get(0).getValue();
        if (value.size() > ConfigLoader.MAX_DOCUMENT_SIZE) { // refused before decoding it, as a file is
            throw new ConfigException(location + ": " + value.size() + " bytes (expected a config of at most 1 MiB)");
        }
        lastReadRevision = response.getHeader().getRevision();
        return value.toString(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void watch(Runnable changed) {
        Objects.requireNonNull(changed, "changed");
        if (watch != null) {
            throw new IllegalStateException("already watching " + location);
        }
        watch = new EtcdRangeWatch(client, "the configuration", location.key(), false, new EtcdRangeWatch.Handler() {
            @Override
            public void snapshot(List<KeyValue> keyValues) {
                changed.run();
            }

            @Override
            public void events(List<WatchEvent> events) {
                changed.run();
            }
        });
        long revision = lastReadRevision;
        if (revision > 0) {
            watch.startFrom(revision + 1);
        } else {
            watch.start();
        }
    }

    @Override
    public void write(String yaml) {
        Objects.requireNonNull(yaml, "yaml");
        await(client.getKVClient().put(key, ByteSequence.from(yaml, StandardCharsets.UTF_8)), "write");
    }

    private <T> T await(CompletableFuture<T> call, String verb) {
        try {
            return call.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(false);
            throw new ConfigException(location + ": cannot " + verb + " (etcd did not answer within "
                    + TIMEOUT.toSeconds() + " s)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ConfigException(location + ": cannot " + verb + " (" + cause.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException(location + ": cannot " + verb + " (interrupted)");
        }
    }

    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.close();
        }
    }
}
