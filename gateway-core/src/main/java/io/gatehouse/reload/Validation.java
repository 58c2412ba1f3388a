package io.gatehouse.reload;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * What a candidate config would do, without applying it: the errors that would reject it, or the diff it would
 * apply (empty when it equals the running config in meaning).
 */
public record Validation(List<String> errors, ConfigDiff diff) {
    public Validation {
        errors = List.copyOf(errors);
        Objects.requireNonNull(diff, "diff");
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    /** {@code {"valid": false, "errors": [...]}} or {@code {"valid": true, "diff": {...}, "summary": "..."}}. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("valid", valid());
        if (valid()) {
            json.set("diff", diff.toJson());
            json.put("summary", diff.summary());
        } else {
            errors.forEach(json.putArray("errors")::add);
        }
        return json;
    }
}
