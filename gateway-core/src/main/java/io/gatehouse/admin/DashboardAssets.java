package io.gatehouse.admin;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The dashboard's static files (docs/observability.md#dashboard), read from the jar once at start and served from
 * memory to anyone: they hold no data, every number the page shows comes from the admin API with the token. Each
 * is revalidated by its ETag ({@code Cache-Control: no-cache}), so an upgrade is seen at once, and carries a
 * Content-Security-Policy that allows only this origin's own script, style, images and API: no inline script.
 */
final class DashboardAssets {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String RESOURCES = "dashboard/";

    /** One file: its bytes and the response headers it is served with (copy them: a response may change them). */
    record Asset(byte[] content, String etag, HttpHeaders headers) {}

    private final Map<String, Asset> byPath;

    private DashboardAssets(Map<String, Asset> byPath) {
        this.byPath = byPath;
    }

    static DashboardAssets load() {
        return new DashboardAssets(Map.of(
                "/", asset("index.html", "text/html; charset=utf-8"),
                "/dashboard.js", asset("dashboard.js", "text/javascript; charset=utf-8"),
                "/charts.js", asset("charts.js", "text/javascript; charset=utf-8"),
                "/dashboard.css", asset("dashboard.css", "text/css; charset=utf-8"),
                "/favicon.svg", asset("favicon.svg", "image/svg+xml")));
    }

    /** Whether {@code rawPath} is the dashboard's rather than the API's: everything outside {@code /admin}. */
    static boolean isDashboardPath(String rawPath) {
        return !(rawPath.equals("/admin") || rawPath.startsWith("/admin/"));
    }

    /** The file at {@code rawPath}, or {@code null}. */
    Asset find(String rawPath) {
        return byPath.get(rawPath);
    }

    private static Asset asset(String name, String contentType) {
        byte[] content = read(name);
        String etag = '"' + crc32Hex(content) + '"';
        HttpHeaders headers = new DefaultHttpHeaders()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.ETAG, etag)
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)
                .set("x-content-type-options", "nosniff")
                .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
                .set("referrer-policy", "no-referrer");
        return new Asset(content, etag, headers);
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + RESOURCES + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Enough to tell one version of a file from the next: a CRC-32 is native code even before the JIT, where
     * SHA-256 ran interpreted at every start (about 10 ms of the admin API's start on a 2-core machine).
     */
    private static String crc32Hex(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(content.length);
    }
}
