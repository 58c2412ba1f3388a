package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigJsonTest {
    private static final String ADMIN_TOKEN = "admin-token-0123456789";
    private static final String PLAIN_KEY = "plain-api-key-0123456789";
    private static final String KEY_DIGEST = "63449582a5d2264283672fa6ad88ab095ea05d06c6b91f721f2a2a8beea522e8";
    private static final String JWT_SECRET = "jwt-hmac-secret-0123456789abcdef0123456789";
    private static final String JWKS_PASSWORD = "jwks-password-42";
    private static final String JWKS_QUERY_TOKEN = "jwks-query-token-42";
    private static final String REDIS_PASSWORD = "redis-password-42";

    @TempDir
    Path dir;

    @Test
    void everySecretIsRedacted() throws Exception {
        PublicKey publicKey = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();
        Path pem = dir.resolve("jwt.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(publicKey.getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        String yaml = """
                pools:
                  users:
                    backends: [http://127.0.0.1:9001]
                    discovery:
                      etcd: {endpoints: ["http://127.0.0.1:2379"], prefix: /gatehouse/pools/users/}
                routes:
                  - {id: users, match: {path_prefix: /users}, pool: users}
                auth:
                  default: [api_key]
                  api_keys:
                    keys:
                      - {id: dev, key: "${DEV_KEY}"}
                      - {id: billing, sha256: %s}
                  jwt:
                    secret: "${JWT_SECRET}"
                    public_key_file: %s
                    jwks_url: "https://jwks:%s@idp.example.com/certs?access_token=%s"
                rate_limit:
                  backend: redis
                  redis: {uri: "redis://default:%s@127.0.0.1:6379"}
                  policies: [{id: per-ip, key: client_ip, limit: 10, period: 1s}]
                admin: {address: "127.0.0.1:9901", token: "${GATEHOUSE_ADMIN_TOKEN}"}
                """.formatted(KEY_DIGEST, pem, JWKS_PASSWORD, JWKS_QUERY_TOKEN, REDIS_PASSWORD);
        GatewayConfig config = ConfigLoader.parse(yaml, Map.of("DEV_KEY", PLAIN_KEY, "JWT_SECRET", JWT_SECRET,
                "GATEHOUSE_ADMIN_TOKEN", ADMIN_TOKEN));

        String json = ConfigJson.render(config).toString();

        List<String> secrets = List.of(ADMIN_TOKEN, PLAIN_KEY, sha256Hex(PLAIN_KEY), KEY_DIGEST, JWT_SECRET,
                base64(JWT_SECRET.getBytes(StandardCharsets.UTF_8)), JWKS_PASSWORD, JWKS_QUERY_TOKEN, REDIS_PASSWORD,
                base64(publicKey.getEncoded()).substring(0, 40));
        for (String secret : secrets) {
            assertThat(json).as("rendered config contains a secret").doesNotContain(secret);
        }
        JsonNode tree = ConfigJson.render(config);
        assertThat(tree.at("/admin/token").asText()).isEqualTo("[redacted]");
        assertThat(tree.at("/admin/address").isMissingNode()).isTrue(); // components only, not derived values
        assertThat(tree.at("/admin/port").asInt()).isEqualTo(9901);
        assertThat(tree.at("/auth/api_keys/keys/0/id").asText()).isEqualTo("dev");
        assertThat(tree.at("/auth/api_keys/keys/0/sha256").asText()).isEqualTo("[redacted]");
        assertThat(tree.at("/auth/jwt/secret").asText()).isEqualTo("[redacted]");
        assertThat(tree.at("/auth/jwt/public_key").asText()).isEqualTo("[redacted]");
        assertThat(tree.at("/auth/jwt/jwks_url").asText())
                .isEqualTo("https://[redacted]@idp.example.com/certs?[redacted]");
        assertThat(tree.at("/rate_limit/redis/uri").asText()).isEqualTo("redis://[redacted]@127.0.0.1:6379");
        assertThat(tree.at("/pools/users/discovery/etcd/endpoints/0").asText()).isEqualTo("http://127.0.0.1:2379");
    }

    @Test
    void showsEffectiveValuesAsTheYamlWritesThem() {
        JsonNode tree = ConfigJson.render(Configs.parse("""
                pools:
                  users:
                    strategy: least_connections
                    backends: [http://127.0.0.1:9001]
                    discovery: {dns: {name: users.internal, port: 9001}}
                routes:
                  - {id: users, match: {path_prefix: /users}, pool: users, response_timeout: 1500ms}
                ip_rules: {deny: [10.6.6.0/24]}
                """));
        assertThat(tree.at("/server/port").asInt()).isEqualTo(8081);
        assertThat(tree.at("/server/timeouts/idle").asText()).isEqualTo("1m");
        assertThat(tree.at("/pools/users/strategy").asText()).isEqualTo("least_connections");
        assertThat(tree.at("/pools/users/backends/0/url").asText()).isEqualTo("http://127.0.0.1:9001");
        assertThat(tree.at("/pools/users/discovery/dns/name").asText()).isEqualTo("users.internal");
        assertThat(tree.at("/routes/0/match/path_prefix").asText()).isEqualTo("/users");
        assertThat(tree.at("/routes/0/timeouts/response").asText()).isEqualTo("1500ms");
        assertThat(tree.at("/ip_rules/deny/0").asText()).isEqualTo("10.6.6.0/24");
    }

    private static String sha256Hex(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
