package io.gatehouse.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.reload.ConfigReloader;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET|PUT|DELETE /admin/routes/{id}} and {@code /admin/pools/{name}}, and their listings. A change edits
 * the running config's text ({@link ConfigEdits}) and applies it through the {@link ConfigReloader} exactly as a
 * changed file would be: validated whole (a route left naming a missing pool is refused with the path of the
 * problem) and swapped in as one transaction. With {@code ?persist=true} the source is rewritten too; a shared
 * source (etcd) is always rewritten, so the change reaches every instance.
 */
final class ConfigEntryEndpoints {
    private final ConfigEntry kind;
    private final ConfigReloader reloader;
    private final ReloadGate gate;

    ConfigEntryEndpoints(ConfigEntry kind, ConfigReloader reloader, ReloadGate gate) {
        this.kind = kind;
        this.reloader = reloader;
        this.gate = gate;
    }

    /** {@code {"routes": [...]}} or {@code {"pools": {...}}}, as written. */
    CompletionStage<AdminResponse> list(AdminRequest request) {
        return gate.submit(reloader::runningText).thenApply(text -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set(kind.plural(), kind.all(ConfigEdits.tree(text)));
            return AdminResponse.ok(body);
        });
    }

    /** The entry as written, so that it can be edited and PUT back. */
    CompletionStage<AdminResponse> get(AdminRequest request) {
        String key = request.param("key");
        return gate.submit(reloader::runningText).thenApply(text -> {
            JsonNode entry = kind.find(ConfigEdits.tree(text), key);
            if (entry == null) {
                throw kind.notFound(key);
            }
            return AdminResponse.ok(entry);
        });
    }

    /** 201 when added, 200 when replaced, with the reload's outcome; 422 when the result is invalid. */
    CompletionStage<AdminResponse> put(AdminRequest request) {
        String key = request.param("key");
        boolean persist = request.flag("persist") || reloader.persistsEveryChange();
        JsonNode body = request.document();
        if (!body.isObject()) {
            throw kind.notAnObject();
        }
        ObjectNode entry = kind.entry(key, (ObjectNode) body);
        AtomicBoolean added = new AtomicBoolean(); // set on the reload thread before the outcome completes
        return gate.submit(() -> reloader.edit(text -> {
            ObjectNode tree = ConfigEdits.tree(text);
            added.set(kind.put(tree, key, entry));
            return ConfigEdits.yaml(tree);
        }, ReloadEndpoints.TRIGGER, persist)).thenApply(outcome -> ReloadResponses.of(outcome,
                added.get() ? HttpResponseStatus.CREATED : HttpResponseStatus.OK, persist));
    }

    CompletionStage<AdminResponse> delete(AdminRequest request) {
        String key = request.param("key");
        boolean persist = request.flag("persist") || reloader.persistsEveryChange();
        return gate.submit(() -> reloader.edit(text -> {
            ObjectNode tree = ConfigEdits.tree(text);
            if (!kind.remove(tree, key)) {
                throw kind.notFound(key);
            }
            return ConfigEdits.yaml(tree);
        }, ReloadEndpoints.TRIGGER, persist)).thenApply(outcome -> ReloadResponses.of(outcome,
                HttpResponseStatus.OK, persist));
    }
}
