package io.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReloadGateTest {
    private final ReloadGate gate = new ReloadGate();

    @Test
    void overTheBoundAChangeIsRefusedAsBusyUntilOneFinishes() {
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < ReloadGate.MAX_WAITING; i++) {
            CompletableFuture<String> work = new CompletableFuture<>();
            waiting.add(work);
            gate.submit(() -> work);
        }

        assertThatThrownBy(() -> gate.submit(CompletableFuture::new)).isInstanceOfSatisfying(AdminException.class,
                e -> assertThat(e.response().status().code()).isEqualTo(503));

        waiting.get(0).completeExceptionally(new IllegalStateException("failed work frees its place too"));
        CompletableFuture<String> next = new CompletableFuture<>();
        assertThat(gate.submit(() -> next)).isNotDone();
    }

    @Test
    void workThatCannotStartFreesItsPlace() {
        for (int i = 0; i <= ReloadGate.MAX_WAITING; i++) {
            assertThatThrownBy(() -> gate.submit(() -> {
                throw new IllegalStateException("the reloader is closed");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThat(gate.submit(() -> CompletableFuture.completedFuture("ok"))).isCompletedWithValue("ok");
    }
}
