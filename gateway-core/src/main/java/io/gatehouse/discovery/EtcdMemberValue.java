package io.gatehouse.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.BackendUrls;

/**
 * Parses one discovered member, the value of an etcd key: {@code {"url": "http://10.0.0.5:9001", "weight": 1}}
 * (weight optional, 1..1000, default 1; other fields ignored, for the registrar's own use). The URL follows the
 * rules of a static backend's.
 */
final class EtcdMemberValue {
    static final String EXPECTED = "expected: {\"url\": \"http://10.0.0.5:9001\", \"weight\": 1}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EtcdMemberValue() {}

    /** @throws IllegalArgumentException saying what is wrong, without the value */
    static BackendConfig parse(String value) {
        JsonNode member;
        try {
            member = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (member == null || !member.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode url = member.get("url");
        if (url == null || !url.isTextual()) {
            throw new IllegalArgumentException("url: missing or not a string");
        }
        JsonNode weight = member.get("weight");
        int parsedWeight = 1;
        if (weight != null) {
            if (!weight.isInt() || weight.intValue() < 1 || weight.intValue() > 1000) {
                throw new IllegalArgumentException("weight: expected an integer in 1..1000");
            }
            parsedWeight = weight.intValue();
        }
        BackendConfig parsed;
        try {
            parsed = BackendUrls.parse(url.textValue(), parsedWeight);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url: " + e.getMessage());
        }
        if (parsed.tls()) { // a pool with discovery has plain backends only (see PoolSection)
            throw new IllegalArgumentException("url: expected an http:// URL: discovered members cannot use TLS yet");
        }
        return parsed;
    }
}
