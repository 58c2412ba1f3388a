package io.gatehouse.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemoryStoreTest {

    private final InMemoryStore<User> store = new InMemoryStore<>();

    @Test
    void assignsSequentialIdsAndListsInIdOrder() {
        User a = store.create(new User(0, "A", "a@x"));
        User b = store.create(new User(77, "B", "b@x"));

        assertThat(a.id()).isEqualTo(1);
        assertThat(b.id()).isEqualTo(2);
        assertThat(store.list()).containsExactly(a, b);
    }

    @Test
    void replaceKeepsTheIdAndOnlyAffectsExistingEntities() {
        User a = store.create(new User(0, "A", "a@x"));

        assertThat(store.replace(a.id(), new User(0, "A2", "a2@x"))).contains(new User(a.id(), "A2", "a2@x"));
        assertThat(store.get(a.id())).contains(new User(a.id(), "A2", "a2@x"));
        assertThat(store.replace(99, new User(0, "Z", "z@x"))).isEmpty();
        assertThat(store.get(99)).isEmpty();
    }

    @Test
    void deleteRemovesOnce() {
        User a = store.create(new User(0, "A", "a@x"));

        assertThat(store.delete(a.id())).isTrue();
        assertThat(store.delete(a.id())).isFalse();
        assertThat(store.get(a.id())).isEmpty();
        assertThat(store.create(new User(0, "B", "b@x")).id()).isEqualTo(2);
    }
}
