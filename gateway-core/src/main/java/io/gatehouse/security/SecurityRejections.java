package io.gatehouse.security;

import io.gatehouse.context.Rejection;
import io.gatehouse.metrics.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The security chain's refusals, built once, each counted under {@code gatehouse_auth_rejections_total{reason}}.
 * Unknown and wrong API keys share one answer, so a client cannot tell which keys exist.
 */
final class SecurityRejections {
    private static final String BEARER_REALM = "Bearer realm=\"gatehouse\"";

    private final Rejection ipDenied;
    final Rejection missingApiKey;
    final Rejection invalidApiKey;
    final Rejection missingToken;
    final Rejection missingClientCertificate;
    private final Rejection unknownClientCertificate;
    private final Counter ipDeniedCount;
    private final Counter missingCredentialsCount;
    private final Counter invalidApiKeyCount;
    private final Counter invalidTokenCount;
    private final Counter unknownClientCertificateCount;
    private final Counter missingRoleCount;
    private final Counter corsDeniedCount;

    SecurityRejections(GatewayMetrics metrics, String apiKeyHeader) {
        ipDenied = Rejection.of(HttpResponseStatus.FORBIDDEN, "forbidden", "client address not allowed");
        missingApiKey = Rejection.of(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                "missing API key (send it in the " + apiKeyHeader + " header)");
        invalidApiKey = Rejection.of(HttpResponseStatus.UNAUTHORIZED, "unauthorized", "invalid API key");
        missingToken = Rejection.of(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                "missing bearer token (send Authorization: Bearer <token>)")
                .withHeader(HttpHeaderNames.WWW_AUTHENTICATE, BEARER_REALM);
        missingClientCertificate = Rejection.of(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                "missing client certificate (connect over HTTPS with a certificate the gateway trusts)");
        unknownClientCertificate = Rejection.of(HttpResponseStatus.FORBIDDEN, "forbidden",
                "the client certificate names no known consumer");
        ipDeniedCount = metrics.authRejections("ip_denied");
        unknownClientCertificateCount = metrics.authRejections("unknown_client_certificate");
        missingCredentialsCount = metrics.authRejections("missing_credentials");
        invalidApiKeyCount = metrics.authRejections("invalid_api_key");
        invalidTokenCount = metrics.authRejections("invalid_token");
        missingRoleCount = metrics.authRejections("missing_role");
        corsDeniedCount = metrics.authRejections("cors_denied");
    }

    /** Counted; for routes, built-in endpoints and preflights alike. */
    Rejection ipDenied() {
        ipDeniedCount.increment();
        return ipDenied;
    }

    Admission missing(Rejection which) {
        missingCredentialsCount.increment();
        return new Admission.Refused(which);
    }

    Admission invalidApiKey() {
        invalidApiKeyCount.increment();
        return new Admission.Refused(invalidApiKey);
    }

    /** Verified by the handshake (so authenticated), but not a listed consumer: 403, like a missing role. */
    Admission unknownClientCertificate() {
        unknownClientCertificateCount.increment();
        return new Admission.Refused(unknownClientCertificate);
    }

    /** RFC 6750 §3: the reason goes in both the body and {@code error_description}. */
    Admission invalidToken(String reason) {
        invalidTokenCount.increment();
        return new Admission.Refused(Rejection.of(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                "invalid token: " + reason).withHeader(HttpHeaderNames.WWW_AUTHENTICATE,
                BEARER_REALM + ", error=\"invalid_token\", error_description=\"" + quotable(reason) + "\""));
    }

    /** Authenticated, but holding none of the route's roles: 403, not 401. */
    Admission missingRole(Rejection prebuilt) {
        missingRoleCount.increment();
        return new Admission.Refused(prebuilt);
    }

    static Rejection missingRoleRejection(java.util.Collection<String> roles, boolean bearer) {
        Rejection rejection = Rejection.of(HttpResponseStatus.FORBIDDEN, "forbidden",
                "requires one of the roles: " + String.join(", ", roles));
        return bearer ? rejection.withHeader(HttpHeaderNames.WWW_AUTHENTICATE,
                BEARER_REALM + ", error=\"insufficient_scope\"") : rejection;
    }

    Rejection corsDenied(String reason) {
        corsDeniedCount.increment();
        return Rejection.of(HttpResponseStatus.FORBIDDEN, "cors_forbidden", "CORS preflight refused: " + reason);
    }

    /** Keeps a reason safe inside a quoted-string. */
    private static String quotable(String text) {
        return text.replace('"', '\'').replace('\\', '/');
    }
}
