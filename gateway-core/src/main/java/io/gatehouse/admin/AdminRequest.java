package io.gatehouse.admin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.ConfigException;
import io.gatehouse.config.YamlReader;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One admin request, read whole: the body is already a string, so an endpoint may use it after the connection's
 * buffers are released.
 *
 * @param params      the path's {@code {name}} segments, decoded
 * @param query       the query parameters, decoded
 * @param contentType the {@code Content-Type} header, or {@code null}
 */
record AdminRequest(Map<String, String> params, Map<String, List<String>> query, String contentType, String body) {
    private static final Set<String> JSON_TYPES = Set.of("application/json");
    private static final Set<String> YAML_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml",
            "text/x-yaml");

    AdminRequest {
        params = Map.copyOf(params);
        query = Map.copyOf(query);
    }

    /** A path parameter the route template declares. */
    String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no path parameter " + name); // a template and its endpoint disagree
        }
        return value;
    }

    /** The last value of a query parameter, or {@code null}. */
    String queryValue(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** {@code ?name=true}; absent or {@code false} is false, anything else is refused. */
    boolean flag(String name) {
        String value = queryValue(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        throw new AdminException(HttpResponseStatus.BAD_REQUEST, "invalid_query",
                "query parameter " + name + " must be true or false");
    }

    /** The body as a YAML document's text; JSON is YAML too. */
    String yamlText() {
        requireBody();
        return body;
    }

    /** The body parsed as a JSON or YAML document, as its {@code Content-Type} says. */
    JsonNode document() {
        boolean yaml = requireBody();
        if (yaml) {
            try {
                return YamlReader.read(body, "body");
            } catch (ConfigException e) {
                throw new AdminException(HttpResponseStatus.BAD_REQUEST, "invalid_yaml",
                        "the body is not valid YAML: " + String.join("; ", e.errors()));
            }
        }
        try {
            return AdminJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new AdminException(HttpResponseStatus.BAD_REQUEST, "invalid_json", "the body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
    }

    /**
     * Refuses a missing body or one that is neither JSON nor YAML.
     *
     * @return whether the body is YAML (else JSON)
     */
    private boolean requireBody() {
        String mediaType = contentType == null ? "" : mediaType(contentType);
        boolean json = JSON_TYPES.contains(mediaType) || mediaType.endsWith("+json");
        boolean yaml = YAML_TYPES.contains(mediaType);
        if (!json && !yaml) {
            throw new AdminException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "expected a body with Content-Type: application/json or application/yaml");
        }
        if (body.isBlank()) {
            throw new AdminException(HttpResponseStatus.BAD_REQUEST, "missing_body", "this request needs a body");
        }
        return yaml;
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
