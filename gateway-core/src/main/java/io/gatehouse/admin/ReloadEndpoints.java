package io.gatehouse.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.reload.ConfigReloader;
import io.gatehouse.reload.ReloadOutcome;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /admin/config/validate}, {@code POST /admin/reload} and {@code GET /admin/reloads}: the
 * {@link ConfigReloader}'s work, done on its thread.
 */
final class ReloadEndpoints {
    /** What the reload history and the log call a change made through the admin API. */
    static final String TRIGGER = "admin";

    private final ConfigReloader reloader;
    private final ReloadGate gate;

    ReloadEndpoints(ConfigReloader reloader, ReloadGate gate) {
        this.reloader = reloader;
        this.gate = gate;
    }

    /** 200 {@code {"valid": true, "diff": ...}} or 422 {@code {"valid": false, "errors": [...]}}. */
    CompletionStage<AdminResponse> validate(AdminRequest request) {
        String candidate = request.yamlText();
        return gate.submit(() -> reloader.validate(candidate)).thenApply(validation -> AdminResponse.of(
                validation.valid() ? HttpResponseStatus.OK : HttpResponseStatus.UNPROCESSABLE_ENTITY,
                validation.toJson()));
    }

    /** Reads the source again and applies it, as a file change or SIGHUP would. */
    CompletionStage<AdminResponse> reload(AdminRequest request) {
        return gate.submit(() -> reloader.reload(TRIGGER))
                .thenApply(outcome -> ReloadResponses.of(outcome, HttpResponseStatus.OK, false));
    }

    /** The last reloads, newest first. */
    CompletionStage<AdminResponse> history(AdminRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        reloader.history().stream().map(ReloadOutcome::toJson).forEach(body.putArray("reloads")::add);
        return CompletableFuture.completedFuture(AdminResponse.ok(body));
    }
}
