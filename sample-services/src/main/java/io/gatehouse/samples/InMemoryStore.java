package io.gatehouse.samples;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe in-memory entity storage with sequential ids starting at 1. */
final class InMemoryStore<T extends Identified<T>> {

    private final ConcurrentMap<Long, T> items = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();

    /** Stores {@code draft} under a fresh id and returns the stored entity. */
    T create(T draft) {
        long id = lastId.incrementAndGet();
        T entity = draft.withId(id);
        items.put(id, entity);
        return entity;
    }

    Optional<T> get(long id) {
        return Optional.ofNullable(items.get(id));
    }

    /** All entities ordered by id (a snapshot). */
    List<T> list() {
        return items.values().stream().sorted(Comparator.comparingLong(Identified::id)).toList();
    }

    /** Atomically replaces an existing entity; empty if there is none with that id. */
    Optional<T> replace(long id, T draft) {
        return Optional.ofNullable(items.computeIfPresent(id, (key, old) -> draft.withId(key)));
    }

    boolean delete(long id) {
        return items.remove(id) != null;
    }
}
