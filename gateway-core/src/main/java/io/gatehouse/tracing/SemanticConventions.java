package io.gatehouse.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute names of the OpenTelemetry semantic conventions for HTTP spans, version {@value #VERSION} (the
 * HTTP attributes are stable since 1.23), plus the gateway's own.
 */
final class SemanticConventions {
    static final String VERSION = "1.37.0";
    static final String SCHEMA_URL = "https://opentelemetry.io/schemas/" + VERSION;

    static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL =
            AttributeKey.stringKey("http.request.method_original");
    static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> HTTP_REQUEST_RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
    static final AttributeKey<String> NETWORK_PEER_ADDRESS = AttributeKey.stringKey("network.peer.address");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("gatehouse.request_id");
    static final AttributeKey<String> REFUSAL_REASON = AttributeKey.stringKey("gatehouse.refusal.reason");
    /** The span event of a request the gateway answered itself with an error. */
    static final String REFUSED_EVENT = "gatehouse.refused";

    private SemanticConventions() {}

    /**
     * The method as the conventions name it: one of the nine known ones, else {@code _OTHER} (the span then records
     * the original as {@code http.request.method_original} and is named {@code HTTP}).
     */
    static String knownMethod(String method) {
        if (method == null) {
            return OTHER_METHOD;
        }
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH" -> method;
            default -> OTHER_METHOD;
        };
    }

    static final String OTHER_METHOD = "_OTHER";
}
