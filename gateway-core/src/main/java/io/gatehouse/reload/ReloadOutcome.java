package io.gatehouse.reload;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one reload did. Immutable.
 *
 * @param trigger  what asked for it: {@code file}, {@code signal}, {@code admin}, {@code etcd}, ...
 * @param errors   why it was rejected; for a change applied with {@code persist}, why writing it to the source
 *                 failed (it is in force, but a restart would lose it); else empty
 * @param diff     what it changed ({@link Result#APPLIED}); empty otherwise
 * @param duration parse, validate, compile and swap; not the time spent queued behind another reload
 */
public record ReloadOutcome(Instant time, String trigger, Result result, List<String> errors, ConfigDiff diff,
                            Duration duration) {
    public enum Result {
        /** The new config is in force. */
        APPLIED,
        /** Invalid, or changes a key that cannot change while running: the running config stays. */
        REJECTED,
        /** Equal in meaning to the running config: nothing was rebuilt. */
        UNCHANGED;

        /** The metric label and JSON value: {@code applied}, {@code rejected}, {@code unchanged}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ReloadOutcome {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(result, "result");
        errors = List.copyOf(errors);
        Objects.requireNonNull(diff, "diff");
        Objects.requireNonNull(duration, "duration");
    }

    /**
     * {@code {"time": "2026-12-02T08:10:26Z", "trigger": "file", "result": "applied", "errors": [],
     * "diff": {...}, "summary": "routes: +orders", "duration_ms": 3.2}}.
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("time", time.toString());
        json.put("trigger", trigger);
        json.put("result", result.label());
        errors.forEach(json.putArray("errors")::add);
        json.set("diff", diff.toJson());
        json.put("summary", diff.summary());
        json.put("duration_ms", duration.toNanos() / 1e6);
        return json;
    }
}
