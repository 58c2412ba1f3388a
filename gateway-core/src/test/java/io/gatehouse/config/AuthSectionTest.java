package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code auth:} and {@code auth.api_keys}. */
class AuthSectionTest {
    private static final String AUTH_KEYS = "default, api_keys, jwt, mtls";
    private static final String METHODS_EXPECTED = "expected a list of: api_key, jwt, mtls ([] for public)";
    private static final String DEV_KEY = "dev-team-key-0123456789";
    private static final String BILLING_KEY = "billing-key-9876543210";
    private static final String ONE_KEY = "api_keys: {keys: [{id: a, key: " + DEV_KEY + "}]}";
    private static final String JWT = "jwt: {secret: 0123456789abcdef0123456789abcdef}";

    private static AuthConfig auth(String section) {
        return parse("auth:\n" + section.indent(2) + DIRECT_ROUTE).auth();
    }

    private static List<String> authErrors(String section) {
        return errors("auth:\n" + section.indent(2) + DIRECT_ROUTE);
    }

    /** api_keys: with {@code default: [api_key]} and the given api_keys body. */
    private static List<String> apiKeyErrors(String apiKeys) {
        return authErrors("default: [api_key]\napi_keys:\n" + apiKeys.indent(2));
    }

    private static ApiKeysConfig apiKeys(String apiKeys) {
        return auth("default: [api_key]\napi_keys:\n" + apiKeys.indent(2)).apiKeys();
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void absentOrEmptyAuthIsNone() {
        assertThat(parse(DIRECT_ROUTE).auth()).isEqualTo(AuthConfig.NONE);
        assertThat(parse("auth:\n" + DIRECT_ROUTE).auth()).isEqualTo(AuthConfig.NONE);
    }

    @Test
    void apiKeysBindToDigests() throws Exception {
        String billingHex = HexFormat.of().withUpperCase().formatHex(sha256(BILLING_KEY));
        AuthConfig auth = auth("""
                default: [api_key]
                api_keys:
                  keys:
                    - id: dev-team
                      key: %s
                      roles: [reader, writer]
                    - id: billing
                      sha256: %s
                """.formatted(DEV_KEY, billingHex));

        assertThat(auth.defaultMethods()).containsExactly(AuthMethod.API_KEY);
        assertThat(auth.jwt()).isNull();
        ApiKeysConfig apiKeys = auth.apiKeys();
        assertThat(apiKeys.header()).isEqualTo("X-API-Key");
        assertThat(apiKeys.queryParam()).isNull();
        assertThat(apiKeys.keys()).containsExactly(
                new ApiKeysConfig.ApiKey("dev-team", sha256(DEV_KEY), List.of("reader", "writer")),
                new ApiKeysConfig.ApiKey("billing", sha256(BILLING_KEY), List.of()));
        assertThat(apiKeys.keys().get(0).sha256()).isEqualTo(sha256(DEV_KEY));
        assertThat(apiKeys.keys().get(1).sha256()).isEqualTo(sha256(BILLING_KEY));
    }

    @Test
    void headerAndQueryParam() {
        ApiKeysConfig apiKeys = apiKeys("header: Authorization-Key\nquery_param: api_key\n"
                + "keys: [{id: a, key: " + DEV_KEY + "}]");

        assertThat(apiKeys.header()).isEqualTo("Authorization-Key");
        assertThat(apiKeys.queryParam()).isEqualTo("api_key");
        assertThat(apiKeyErrors("header: X API Key\nquery_param: api key\nkeys: [{id: a, key: " + DEV_KEY + "}]"))
                .containsExactly(
                        "auth.api_keys.header: \"X API Key\" (expected a header name such as X-API-Key)",
                        "auth.api_keys.query_param: \"api key\" (expected a query parameter name such as api_key)");
    }

    @Test
    void defaultMethods() {
        assertThat(auth("default: []\n" + ONE_KEY).defaultMethods()).isEmpty();
        assertThat(auth("default: [jwt, api_key]\n" + ONE_KEY + "\n" + JWT).defaultMethods())
                .containsExactly(AuthMethod.JWT, AuthMethod.API_KEY);
    }

    @Test
    void defaultIsRequired() {
        assertThat(authErrors(ONE_KEY)).containsExactly(
                "auth.default: missing (the methods every route needs unless it says otherwise, such as [api_key];"
                        + " [] makes routes public by default)");
        assertThat(authErrors("default:\n" + ONE_KEY)).containsExactly(
                "auth.default: missing (the methods every route needs unless it says otherwise, such as [api_key];"
                        + " [] makes routes public by default)");
    }

    @Test
    void unknownMethods() {
        assertThat(authErrors("default: [basic, API_KEY, api_key]\n" + ONE_KEY)).containsExactly(
                "auth.default[0]: \"basic\" (" + METHODS_EXPECTED + ")",
                "auth.default[1]: \"API_KEY\" (" + METHODS_EXPECTED + ")");
        assertThat(authErrors("default: api_key\n" + ONE_KEY)).containsExactly(
                "auth.default: \"api_key\" (" + METHODS_EXPECTED + ")");
    }

    @Test
    void methodsMustBeConfigured() {
        assertThat(authErrors("default: [jwt]\n" + ONE_KEY)).containsExactly(
                "auth.default[0]: \"jwt\" (expected a configured method: add auth.jwt)");
        assertThat(authErrors("default: [api_key]\n" + JWT)).containsExactly(
                "auth.default[0]: \"api_key\" (expected a configured method: add auth.api_keys)");
        assertThat(authErrors("default: [jwt]\njwt:\n" + ONE_KEY)).containsExactly(
                "auth.default[0]: \"jwt\" (expected a configured method: add auth.jwt)");
    }

    @Test
    void duplicateMethod() {
        assertThat(authErrors("default: [api_key, jwt, api_key]\n" + ONE_KEY + "\n" + JWT)).containsExactly(
                "auth.default[2]: \"api_key\" (expected each method once)");
    }

    @Test
    void shortKeyIsRejectedWithoutEchoingIt() {
        String shortKey = "fifteen-chars-k"; // 15 characters
        List<String> errors = apiKeyErrors("keys: [{id: a, key: " + shortKey + "}]");

        assertThat(errors).containsExactly("auth.api_keys.keys[0].key: too short (expected at least 16 characters;"
                + " openssl rand -hex 32 makes a good one)");
        assertThat(String.join("\n", errors)).doesNotContain(shortKey);
        assertThat(apiKeys("keys: [{id: a, key: sixteen-chars-k!}]").keys()).hasSize(1);
    }

    @Test
    void exactlyOneOfKeyAndSha256() throws Exception {
        String hex = HexFormat.of().formatHex(sha256(DEV_KEY));
        List<String> errors = apiKeyErrors("keys:\n  - {id: a, key: " + DEV_KEY + ", sha256: " + hex + "}\n"
                + "  - {id: b, roles: [admin]}");

        assertThat(errors).containsExactly(
                "auth.api_keys.keys[0]: both key and sha256 set (expected exactly one of: key, sha256)",
                "auth.api_keys.keys[1]: missing key (expected exactly one of: key, sha256)");
        assertThat(String.join("\n", errors)).doesNotContain(DEV_KEY);
    }

    @Test
    void badSha256() {
        String expected = "(expected the key's SHA-256 as 64 hex digits (printf %s KEY | sha256sum))";
        String g64 = "g".repeat(64);
        String short63 = "a".repeat(63);

        assertThat(apiKeyErrors("keys:\n  - {id: a, sha256: " + g64 + "}\n  - {id: b, sha256: " + short63 + "}\n"
                + "  - {id: c, sha256: \"\"}")).containsExactly(
                "auth.api_keys.keys[0].sha256: \"" + g64 + "\" " + expected,
                "auth.api_keys.keys[1].sha256: \"" + short63 + "\" " + expected,
                "auth.api_keys.keys[2].sha256: \"\" " + expected);
    }

    @Test
    void consumerIds() {
        assertThat(apiKeyErrors("keys:\n  - {id: a, key: " + DEV_KEY + "}\n  - {id: a, key: " + BILLING_KEY + "}\n"
                + "  - {id: \"dev team\", key: other-key-0123456789}\n  - {key: yet-another-key-0123}"))
                .containsExactly(
                        "auth.api_keys.keys[1].id: \"a\" (expected a unique consumer id)",
                        "auth.api_keys.keys[2].id: \"dev team\" (expected letters, digits, '.', '_' and '-' only)",
                        "auth.api_keys.keys[3].id: missing (expected a consumer id such as dev-team)");
    }

    @Test
    void twoConsumersWithTheSameKey() throws Exception {
        String hex = HexFormat.of().formatHex(sha256(DEV_KEY));
        List<String> errors = apiKeyErrors("keys:\n  - {id: a, key: " + DEV_KEY + "}\n  - {id: b, key: " + DEV_KEY
                + "}\n  - {id: c, sha256: " + hex + "}");

        assertThat(errors).containsExactly(
                "auth.api_keys.keys[1]: the same key as another consumer (expected a unique key per consumer)",
                "auth.api_keys.keys[2]: the same key as another consumer (expected a unique key per consumer)");
        assertThat(String.join("\n", errors)).doesNotContain(DEV_KEY);
    }

    @Test
    void keysRequired() {
        assertThat(apiKeyErrors("header: X-Key")).containsExactly(
                "auth.api_keys.keys: missing or empty (expected at least one key)");
        assertThat(apiKeyErrors("keys: []")).containsExactly(
                "auth.api_keys.keys: missing or empty (expected at least one key)");
        assertThat(apiKeyErrors("keys: {a: " + DEV_KEY + "}")).containsExactly(
                "auth.api_keys.keys: a map (expected a list of {id, key or sha256, roles})");
        assertThat(apiKeyErrors("keys: [" + DEV_KEY + ", ~]")).containsExactly(
                "auth.api_keys.keys[0]: \"" + DEV_KEY + "\" (expected a map with keys: id, key, sha256, roles)",
                "auth.api_keys.keys[1]: null (expected a map with keys: id, key, sha256, roles)");
    }

    @Test
    void unknownKeysListTheKnownOnes() {
        assertThat(authErrors("default: []\nkeys: []")).containsExactly(
                "auth.keys: unknown key (expected one of: " + AUTH_KEYS + ")");
        assertThat(apiKeyErrors("headers: X-Key\nkeys: [{id: a, key: " + DEV_KEY + "}]")).containsExactly(
                "auth.api_keys.headers: unknown key (expected one of: header, query_param, keys)");
        assertThat(apiKeyErrors("keys: [{id: a, key: " + DEV_KEY + ", role: admin}]")).containsExactly(
                "auth.api_keys.keys[0].role: unknown key (expected one of: id, key, sha256, roles)");
        assertThat(errors("auth: [api_key]\n" + DIRECT_ROUTE)).containsExactly(
                "auth: a list (expected a map with keys: " + AUTH_KEYS + ")");
    }

    @Test
    void nullDefaultMethodIsAnError() {
        assertThat(authErrors("default: [null]\n" + ONE_KEY)).singleElement().asString()
                .startsWith("auth.default[0]: null (expected");
        assertThat(authErrors("default:\n  -\n" + ONE_KEY)).singleElement().asString()
                .startsWith("auth.default[0]: null (expected");
    }
}
