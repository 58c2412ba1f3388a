package io.gatehouse.security;

import io.gatehouse.config.ApiKeysConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the consumer of a presented API key. Keys are known only by their SHA-256: the presented key is hashed
 * and its digest compared in constant time ({@link MessageDigest#isEqual}) with the candidate's. Candidates are
 * found by the digest's first 8 bytes, so the cost does not grow with the number of keys; that lookup's timing
 * depends only on bits of a digest, which tell an attacker nothing about any key.
 */
final class ApiKeyAuthenticator {
    private static final FastThreadLocal<MessageDigest> SHA256 = new FastThreadLocal<>() {
        @Override
        protected MessageDigest initialValue() throws NoSuchAlgorithmException {
            return MessageDigest.getInstance("SHA-256");
        }
    };

    private final AsciiString header;
    private final String queryParam;
    private final Map<Long, List<Entry>> byDigestPrefix = new HashMap<>();

    private record Entry(byte[] digest, Consumer consumer) {}

    ApiKeyAuthenticator(ApiKeysConfig config, GatewayMetrics metrics) {
        this.header = AsciiString.cached(config.header().toLowerCase(java.util.Locale.ROOT));
        this.queryParam = config.queryParam();
        for (ApiKeysConfig.ApiKey key : config.keys()) {
            byte[] digest = key.sha256();
            Consumer consumer = Consumer.of(key.id(), key.roles(), metrics.consumerRequests(key.id()));
            byDigestPrefix.computeIfAbsent(prefix(digest), p -> new java.util.ArrayList<>(1))
                    .add(new Entry(digest, consumer));
        }
    }

    /** The key the client presented: the header first, then the query parameter when enabled; else null. */
    String presentedKey(HttpHeaders headers, String rawQuery) {
        String key = headers.get(header);
        if (key != null || queryParam == null || rawQuery == null) {
            return key;
        }
        List<String> values = new QueryStringDecoder(rawQuery, false).parameters().get(queryParam);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The consumer whose key this is, or null: unknown and wrong keys are indistinguishable to the caller. */
    Consumer find(String presentedKey) {
        byte[] digest = SHA256.get().digest(presentedKey.getBytes(StandardCharsets.UTF_8));
        List<Entry> candidates = byDigestPrefix.get(prefix(digest));
        if (candidates == null) {
            return null;
        }
        for (int i = 0; i < candidates.size(); i++) {
            Entry entry = candidates.get(i);
            if (MessageDigest.isEqual(entry.digest, digest)) {
                return entry.consumer;
            }
        }
        return null;
    }

    /** The query parameter that may carry the key, or null; it is removed before forwarding and logging. */
    String queryParam() {
        return queryParam;
    }

    /** The header that carries the key; it is removed before forwarding. */
    AsciiString header() {
        return header;
    }

    private static long prefix(byte[] digest) {
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = (p << 8) | (digest[i] & 0xff);
        }
        return p;
    }
}
