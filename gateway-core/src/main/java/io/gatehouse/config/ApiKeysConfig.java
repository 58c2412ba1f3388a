package io.gatehouse.config;

import java.util.List;

/**
 * {@code auth.api_keys}.
 *
 * @param header     the request header that carries the key
 * @param queryParam the query parameter that may carry it instead, or {@code null} (the default: off)
 */
public record ApiKeysConfig(String header, String queryParam, List<ApiKey> keys) {
    public ApiKeysConfig {
        keys = List.copyOf(keys);
    }

    /**
     * One consumer's key, kept only as its SHA-256 digest.
     *
     * @param id    the consumer identity shown in logs, metrics and {@code X-Consumer-Id}
     * @param roles the roles this consumer holds
     */
    public record ApiKey(String id, byte[] sha256, List<String> roles) {
        public ApiKey {
            sha256 = sha256.clone();
            roles = List.copyOf(roles);
        }

        @Override
        public byte[] sha256() {
            return sha256.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ApiKey other && id.equals(other.id) && java.util.Arrays.equals(sha256, other.sha256)
                    && roles.equals(other.roles);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }

        @Override
        public String toString() {
            return "ApiKey[id=" + id + ", roles=" + roles + "]"; // never the digest
        }
    }
}
