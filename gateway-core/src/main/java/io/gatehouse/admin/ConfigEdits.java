package io.gatehouse.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.gatehouse.config.YamlReader;

/**
 * Edits a config document's tree: one route (by id) or one pool (by name) replaced, added or removed, everything
 * else left as written. The tree is the YAML text before interpolation, so {@code ${VARS}} stay variables and no
 * secret from the environment is ever written back. Comments and formatting do not survive the round trip.
 */
final class ConfigEdits {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES) // quotes what would not read back as the same string
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    private ConfigEdits() {}

    /** The tree of the running config's text, which is valid, so a map. */
    static ObjectNode tree(String yaml) {
        JsonNode tree = YamlReader.read(yaml, "<running config>");
        return tree.isObject() ? (ObjectNode) tree : JsonNodeFactory.instance.objectNode();
    }

    static String yaml(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree read from YAML always writes back", e);
        }
    }

    /** The routes as written, in order; empty when there are none. */
    static ArrayNode routes(ObjectNode tree) {
        JsonNode routes = tree.get("routes");
        return routes != null && routes.isArray() ? (ArrayNode) routes : JsonNodeFactory.instance.arrayNode();
    }

    /** The route with {@code id} as written, or {@code null}. */
    static JsonNode route(ObjectNode tree, String id) {
        int index = routeIndex(tree, id);
        return index < 0 ? null : routes(tree).get(index);
    }

    /** The pool named {@code name} as written, or {@code null}. */
    static JsonNode pool(ObjectNode tree, String name) {
        JsonNode pools = tree.get("pools");
        return pools != null && pools.isObject() ? pools.get(name) : null;
    }

    /**
     * Replaces the route with {@code id} in place, or adds it at the end.
     *
     * @return whether it is new
     */
    static boolean putRoute(ObjectNode tree, String id, ObjectNode route) {
        int index = routeIndex(tree, id);
        if (index >= 0) {
            routes(tree).set(index, route);
            return false;
        }
        JsonNode routes = tree.get("routes");
        (routes != null && routes.isArray() ? (ArrayNode) routes : tree.putArray("routes")).add(route);
        return true;
    }

    /** @return whether there was such a route */
    static boolean removeRoute(ObjectNode tree, String id) {
        int index = routeIndex(tree, id);
        if (index >= 0) {
            routes(tree).remove(index);
        }
        return index >= 0;
    }

    /**
     * Replaces the pool named {@code name} in place, or adds it at the end.
     *
     * @return whether it is new
     */
    static boolean putPool(ObjectNode tree, String name, ObjectNode pool) {
        JsonNode pools = tree.get("pools");
        ObjectNode map = pools != null && pools.isObject() ? (ObjectNode) pools : tree.putObject("pools");
        return map.replace(name, pool) == null;
    }

    /** @return whether there was such a pool */
    static boolean removePool(ObjectNode tree, String name) {
        JsonNode pools = tree.get("pools");
        return pools != null && pools.isObject() && ((ObjectNode) pools).remove(name) != null;
    }

    private static int routeIndex(ObjectNode tree, String id) {
        ArrayNode routes = routes(tree);
        for (int i = 0; i < routes.size(); i++) {
            JsonNode routeId = routes.get(i).get("id");
            if (routeId != null && routeId.isValueNode() && routeId.asText().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
