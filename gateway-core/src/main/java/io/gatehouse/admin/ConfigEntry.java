package io.gatehouse.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;

/** The kinds of config entry the admin API changes one at a time: a route by its id, a pool by its name. */
enum ConfigEntry {
    ROUTE("route", "routes", "has id") {
        @Override
        JsonNode all(ObjectNode tree) {
            return ConfigEdits.routes(tree);
        }

        @Override
        JsonNode find(ObjectNode tree, String key) {
            return ConfigEdits.route(tree, key);
        }

        @Override
        boolean put(ObjectNode tree, String key, ObjectNode entry) {
            return ConfigEdits.putRoute(tree, key, entry);
        }

        @Override
        boolean remove(ObjectNode tree, String key) {
            return ConfigEdits.removeRoute(tree, key);
        }

        /** The body with the path's id first; a different id in the body is refused. */
        @Override
        ObjectNode entry(String key, ObjectNode body) {
            JsonNode id = body.get("id");
            if (id != null && !(id.isValueNode() && id.asText().equals(key))) {
                throw new AdminException(HttpResponseStatus.BAD_REQUEST, "id_mismatch",
                        "the body's id differs from the id in the path; leave it out or make them equal");
            }
            ObjectNode route = JsonNodeFactory.instance.objectNode().put("id", key);
            body.properties().forEach(field -> route.set(field.getKey(), field.getValue()));
            return route;
        }
    },
    POOL("pool", "pools", "is named") {
        @Override
        JsonNode all(ObjectNode tree) {
            JsonNode pools = tree.get("pools");
            return pools != null && pools.isObject() ? pools : JsonNodeFactory.instance.objectNode();
        }

        @Override
        JsonNode find(ObjectNode tree, String key) {
            return ConfigEdits.pool(tree, key);
        }

        @Override
        boolean put(ObjectNode tree, String key, ObjectNode entry) {
            return ConfigEdits.putPool(tree, key, entry);
        }

        @Override
        boolean remove(ObjectNode tree, String key) {
            return ConfigEdits.removePool(tree, key);
        }

        @Override
        ObjectNode entry(String key, ObjectNode body) {
            return body;
        }
    };

    private final String noun;
    private final String plural;
    private final String keyVerb;

    ConfigEntry(String noun, String plural, String keyVerb) {
        this.noun = noun;
        this.plural = plural;
        this.keyVerb = keyVerb;
    }

    /** {@code routes} or {@code pools}: the top-level key, and the key of a listing's answer. */
    String plural() {
        return plural;
    }

    /** Every entry of this kind, as written. */
    abstract JsonNode all(ObjectNode tree);

    /** The entry as written, or {@code null}. */
    abstract JsonNode find(ObjectNode tree, String key);

    /** Replaces or adds it; returns whether it is new. */
    abstract boolean put(ObjectNode tree, String key, ObjectNode entry);

    /** Returns whether there was one. */
    abstract boolean remove(ObjectNode tree, String key);

    /** What a PUT body becomes in the config. */
    abstract ObjectNode entry(String key, ObjectNode body);

    AdminException notFound(String key) {
        return new AdminException(HttpResponseStatus.NOT_FOUND, "not_found",
                "no " + noun + " " + keyVerb + " " + key + " in the running config");
    }

    AdminException notAnObject() {
        return new AdminException(HttpResponseStatus.BAD_REQUEST, "invalid_body",
                "expected the " + noun + " as a JSON or YAML map, as it is written in the config");
    }
}
