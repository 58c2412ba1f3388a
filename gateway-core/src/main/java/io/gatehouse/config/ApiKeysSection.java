package io.gatehouse.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds {@code auth.api_keys}: the header (or query parameter) and each consumer's key or its SHA-256. */
final class ApiKeysSection {
    private static final Logger log = LoggerFactory.getLogger(ApiKeysSection.class);
    private static final List<String> KEYS = List.of("header", "query_param", "keys");
    private static final List<String> KEY_KEYS = List.of("id", "key", "sha256", "roles");
    private static final int MIN_KEY_LENGTH = 16;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern PARAM = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final String HEADER_EXPECTED = "expected a header name such as X-API-Key";
    private static final String PARAM_EXPECTED = "expected a query parameter name such as api_key";
    private static final String SHA256_EXPECTED = "expected the key's SHA-256 as 64 hex digits (printf %s KEY | sha256sum)";
    private static final String ONE_OF = "expected exactly one of: key, sha256";

    private ApiKeysSection() {}

    /** Null when absent. */
    static ApiKeysConfig bind(Node section) {
        if (!section.expectMap(KEYS)) {
            return null;
        }
        String header = section.get("header").parse(ApiKeysSection::headerName, HEADER_EXPECTED);
        String queryParam = section.get("query_param").parse(text -> matching(text, PARAM, PARAM_EXPECTED),
                PARAM_EXPECTED);
        Node keysNode = section.get("keys");
        List<ApiKeysConfig.ApiKey> keys = new ArrayList<>();
        List<Node> elements = keysNode.elements("expected a list of {id, key or sha256, roles}");
        if (!keysNode.isPresent() || (keysNode.isList() && elements.isEmpty())) {
            keysNode.error("missing or empty (expected at least one key)");
        }
        List<String> ids = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (Node element : elements) {
            ApiKeysConfig.ApiKey key = key(element);
            if (key == null) {
                continue;
            }
            String digest = HexFormat.of().formatHex(key.sha256());
            if (ids.contains(key.id())) {
                element.get("id").invalid("expected a unique consumer id");
            } else if (digests.contains(digest)) {
                element.error("the same key as another consumer (expected a unique key per consumer)");
            } else {
                ids.add(key.id());
                digests.add(digest);
                keys.add(key);
            }
        }
        return new ApiKeysConfig(header == null ? "X-API-Key" : header, queryParam, keys);
    }

    private static ApiKeysConfig.ApiKey key(Node element) {
        if (!element.expectMap(KEY_KEYS)) {
            if (!element.isPresent()) {
                element.invalid("expected a map with keys: " + String.join(", ", KEY_KEYS));
            }
            return null;
        }
        Node idNode = element.get("id");
        String id = idNode.requiredString("expected a consumer id such as dev-team");
        if (id != null && !Ids.isValid(id)) {
            idNode.invalid(Ids.EXPECTED);
            id = null;
        }
        List<String> roles = element.get("roles").strings("expected a list of role names");
        byte[] digest = digest(element, id);
        return id == null || digest == null ? null : new ApiKeysConfig.ApiKey(id, digest, roles);
    }

    private static byte[] digest(Node element, String id) {
        Node plain = element.get("key");
        Node hashed = element.get("sha256");
        if (plain.isPresent() == hashed.isPresent()) {
            element.error((plain.isPresent() ? "both key and sha256 set" : "missing key") + " (" + ONE_OF + ")");
            return null;
        }
        if (hashed.isPresent()) {
            return hashed.parse(text -> HexFormat.of().parseHex(matching(text, SHA256_HEX, SHA256_EXPECTED)),
                    SHA256_EXPECTED);
        }
        String key = plain.string();
        if (key == null) {
            return null;
        }
        if (key.length() < MIN_KEY_LENGTH) {
            plain.error("too short (expected at least " + MIN_KEY_LENGTH + " characters; openssl rand -hex 32 makes"
                    + " a good one)"); // never echo the key itself
            return null;
        }
        log.warn("{}: consumer {} has a plain key in the config; use sha256 in production", plain.path(), id);
        return sha256(key);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    private static String headerName(String text) {
        if (!HttpTokens.isToken(text)) {
            throw new IllegalArgumentException(HEADER_EXPECTED);
        }
        return text;
    }

    private static String matching(String text, Pattern syntax, String expected) {
        if (!syntax.matcher(text).matches()) {
            throw new IllegalArgumentException(expected);
        }
        return text;
    }
}
