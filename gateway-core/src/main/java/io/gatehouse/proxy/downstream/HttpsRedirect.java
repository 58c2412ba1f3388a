package io.gatehouse.proxy.downstream;

import io.gatehouse.config.TlsConfig;
import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.proxy.GatewaySnapshot;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code server.tls.redirect_http}: a request that did not come over TLS is answered with a {@code 308} to the
 * same URL on {@code https://} and the HTTPS listener's bound port (308 keeps the method and body, unlike 301).
 * The built-in endpoints are decided before this, so probes and scrapes keep working on the plain port.
 */
final class HttpsRedirect {
    private static final Rejection NO_HOST = Rejection.of(HttpResponseStatus.FORBIDDEN, "https_required",
            "this gateway serves requests over HTTPS only");

    private HttpsRedirect() {}

    /**
     * @param httpsPort the HTTPS listener's bound port, or -1
     * @param host      the host the client asked for, or null
     * @return the redirect, or null when the request stays on plain HTTP
     */
    static Rejection of(GatewaySnapshot snapshot, int httpsPort, RequestContext request, HttpHeaders headers,
                        String host, RequestTarget target) {
        TlsConfig tls = snapshot.server().tls();
        if (tls == null || !tls.redirectHttp() || httpsPort < 0
                || snapshot.forwardedHeaders().isOverTls(request.client(), headers)) {
            return null;
        }
        String name = RequestTarget.hostWithoutPort(host);
        if (name == null) {
            return NO_HOST;
        }
        String location = "https://" + name + (httpsPort == 443 ? "" : ":" + httpsPort) + target.rawPath()
                + (target.rawQuery() == null ? "" : "?" + target.rawQuery());
        return Rejection.of(HttpResponseStatus.PERMANENT_REDIRECT, "https_required",
                "this URL is served over HTTPS: " + location).withHeader(HttpHeaderNames.LOCATION, location);
    }
}
