package io.gatehouse.route;

import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;
import java.util.Map;

/** A request as {@link RouteCheck} tests it; the path's segments and the query are split once, when first needed. */
final class ProbedRequest {
    private final String method;
    private final String host;
    private final String path;
    private final String rawQuery;
    private final HttpHeaders headers;
    private String[] segments;
    private Map<String, List<String>> queryParameters;

    ProbedRequest(String method, String host, String path, String rawQuery, HttpHeaders headers) {
        this.method = method;
        this.host = host;
        this.path = path;
        this.rawQuery = rawQuery;
        this.headers = headers;
    }

    String method() {
        return method;
    }

    /** Lower-case without port; null when the request names none. */
    String host() {
        return host;
    }

    /** The normalised path. */
    String path() {
        return path;
    }

    HttpHeaders headers() {
        return headers;
    }

    String[] segments() {
        if (segments == null) {
            segments = PathTemplate.split(path);
        }
        return segments;
    }

    Map<String, List<String>> queryParameters() {
        if (queryParameters == null) {
            queryParameters = Selection.decode(rawQuery);
        }
        return queryParameters;
    }
}
