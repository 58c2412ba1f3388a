package io.gatehouse.security;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.List;
import java.util.Map;

/**
 * Puts who the client is on the request sent upstream. Headers the gateway sets to vouch for the client
 * ({@code X-Consumer-Id}, forwarded claims) are removed from every request first, so no client can send its own,
 * and the API key itself never reaches the backend.
 */
public final class UpstreamIdentity {
    private final List<AsciiString> vouchedHeaders;
    private final AsciiString keyHeader;
    private final String keyParam;

    UpstreamIdentity(List<AsciiString> vouchedHeaders, ApiKeyAuthenticator apiKeys) {
        this.vouchedHeaders = List.copyOf(vouchedHeaders);
        this.keyHeader = apiKeys == null ? null : apiKeys.header();
        this.keyParam = apiKeys == null ? null : apiKeys.queryParam();
    }

    /** Removes client-sent identity headers and the API key, then adds the principal's headers. */
    public void apply(HttpHeaders headers, Principal principal) {
        for (int i = 0; i < vouchedHeaders.size(); i++) {
            headers.remove(vouchedHeaders.get(i));
        }
        if (keyHeader != null) {
            headers.remove(keyHeader);
        }
        List<Map.Entry<String, String>> added = principal.upstreamHeaders();
        for (int i = 0; i < added.size(); i++) {
            headers.add(added.get(i).getKey(), added.get(i).getValue());
        }
    }

    /** The query to forward: without the API key parameter when keys may travel in the query. */
    public String upstreamQuery(String rawQuery) {
        return keyParam == null ? rawQuery : QueryParams.without(rawQuery, keyParam);
    }

    /** A request target without the API key parameter, for logs. */
    String withoutKeyInQuery(String uri) {
        int q;
        if (keyParam == null || (q = uri.indexOf('?')) < 0) {
            return uri;
        }
        String query = QueryParams.without(uri.substring(q + 1), keyParam);
        return query == null ? uri.substring(0, q) : uri.substring(0, q + 1) + query;
    }
}
