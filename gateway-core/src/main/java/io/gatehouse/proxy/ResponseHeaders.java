package io.gatehouse.proxy;

import io.gatehouse.config.SecurityHeadersConfig;
import io.gatehouse.config.TlsConfig;
import io.gatehouse.security.CorsPolicy;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * What the gateway adds to every response, proxied or its own: {@code X-Request-ID}, the route's CORS headers,
 * and the security headers the response does not set itself (the backend's own policy wins).
 */
public final class ResponseHeaders {
    public static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    private static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
    private static final AsciiString REFERRER_POLICY = AsciiString.cached("referrer-policy");
    private static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("strict-transport-security");

    private final AsciiString contentTypeOptions;
    private final AsciiString frameOptions;
    private final AsciiString referrerPolicy;
    private final AsciiString hsts;
    private final boolean hideServer;

    /** @param tls the HTTPS listener, whose {@code hsts} replaces {@code security_headers.hsts}; or null */
    ResponseHeaders(SecurityHeadersConfig config, TlsConfig tls) {
        this.contentTypeOptions = value(config.contentTypeOptions());
        this.frameOptions = value(config.frameOptions());
        this.referrerPolicy = value(config.referrerPolicy());
        this.hsts = value(tls != null && tls.hsts() != null ? tls.hsts().headerValue() : config.hsts());
        this.hideServer = config.hideServer();
    }

    /**
     * @param overTls the client reached the gateway (or a trusted proxy in front of it) over TLS: HSTS is sent
     *                only then, as browsers ignore it on plain HTTP anyway (RFC 6797 §7.2)
     * @param cors    the route's CORS policy, or null
     * @param origin  the request's {@code Origin}, or null
     */
    public void apply(HttpHeaders headers, String requestId, boolean overTls, CorsPolicy cors, String origin) {
        headers.set(X_REQUEST_ID, requestId);
        setIfAbsent(headers, X_CONTENT_TYPE_OPTIONS, contentTypeOptions);
        setIfAbsent(headers, HttpHeaderNames.X_FRAME_OPTIONS, frameOptions);
        setIfAbsent(headers, REFERRER_POLICY, referrerPolicy);
        if (overTls) {
            setIfAbsent(headers, STRICT_TRANSPORT_SECURITY, hsts);
        }
        if (hideServer) {
            headers.remove(HttpHeaderNames.SERVER);
        }
        if (cors != null) {
            cors.applyToResponse(origin, headers);
        }
    }

    private static void setIfAbsent(HttpHeaders headers, AsciiString name, AsciiString value) {
        if (value != null && !headers.contains(name)) {
            headers.set(name, value);
        }
    }

    private static AsciiString value(String text) {
        return text == null ? null : AsciiString.cached(text);
    }
}
