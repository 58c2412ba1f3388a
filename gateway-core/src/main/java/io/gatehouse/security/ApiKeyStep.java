package io.gatehouse.security;

import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetAddress;

/** Requires an API key (header, or query parameter when enabled) and records whose it is. */
final class ApiKeyStep implements AdmissionStep {
    private final ApiKeyAuthenticator apiKeys;
    private final SecurityRejections rejections;

    ApiKeyStep(ApiKeyAuthenticator apiKeys, SecurityRejections rejections) {
        this.apiKeys = apiKeys;
        this.rejections = rejections;
    }

    @Override
    public Admission check(HttpHeaders headers, InetAddress client, String rawQuery, AdmissionProgress progress) {
        String key = apiKeys.presentedKey(headers, rawQuery);
        if (key == null) {
            return rejections.missing(rejections.missingApiKey);
        }
        Consumer consumer = apiKeys.find(key);
        if (consumer == null) {
            return rejections.invalidApiKey();
        }
        progress.consumer(consumer);
        return null;
    }
}
