package io.gatehouse.proxy;

import io.gatehouse.context.Rejection;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.util.List;

/**
 * Checks a decoded request head before anything acts on it: decoder failures, the number of header fields,
 * protocol version, Host, the framing ambiguities that enable request smuggling, {@code Expect}, and the body size
 * limit. Any framing doubt closes the connection, since the next request's boundary is then unknown.
 */
final class RequestHeadValidator {
    /** The answer to anything the codec could not frame; what it could not parse goes to the log, not the client. */
    static final Rejection MALFORMED = Rejection.closing(HttpResponseStatus.BAD_REQUEST, "bad_request",
            "malformed request");
    private static final Rejection TOO_MANY_HEADERS = Rejection.closing(
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too_many_headers",
            "request has more header fields than server.limits.max_headers");

    private final long maxBodyBytes;
    private final int maxHeaders;

    RequestHeadValidator(long maxBodyBytes, int maxHeaders) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxHeaders = maxHeaders;
    }

    /** Whether {@code msg} is what the HTTP decoder produces for input it could not frame. */
    static boolean isMalformed(Object msg) {
        return msg instanceof HttpObject decoded && decoded.decoderResult().isFailure();
    }

    /** @return why the request must be refused, or {@code null} when it may proceed */
    Rejection validate(HttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            return decoderFailure(result.cause());
        }
        if (request.headers().size() > maxHeaders) {
            return TOO_MANY_HEADERS;
        }
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1) {
            return Rejection.closing(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "http_version_not_supported",
                    "only HTTP/1.0 and HTTP/1.1 are supported");
        }
        HttpHeaders headers = request.headers();
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1 || (hosts.isEmpty() && version.minorVersion() == 1)) {
            return Rejection.closing(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "an HTTP/1.1 request needs exactly one Host header");
        }
        Rejection framing = checkFraming(headers);
        if (framing != null) {
            return framing;
        }
        String expect = headers.get(HttpHeaderNames.EXPECT);
        if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
            return Rejection.closing(HttpResponseStatus.EXPECTATION_FAILED, "expectation_failed",
                    "unsupported Expect value (only 100-continue is supported)");
        }
        return null;
    }

    private Rejection checkFraming(HttpHeaders headers) {
        List<String> transferEncodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        List<String> contentLengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (!transferEncodings.isEmpty()) {
            if (!contentLengths.isEmpty()) {
                return Rejection.closing(HttpResponseStatus.BAD_REQUEST, "bad_request",
                        "Content-Length together with Transfer-Encoding is not allowed");
            }
            if (transferEncodings.size() != 1
                    || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(transferEncodings.get(0).trim())) {
                return Rejection.closing(HttpResponseStatus.NOT_IMPLEMENTED, "unsupported_transfer_encoding",
                        "only Transfer-Encoding: chunked is supported");
            }
            return null;
        }
        if (contentLengths.size() > 1) {
            return Rejection.closing(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "more than one Content-Length header");
        }
        if (contentLengths.size() == 1) {
            long length = parseContentLength(contentLengths.get(0));
            if (length < 0) {
                return Rejection.closing(HttpResponseStatus.BAD_REQUEST, "bad_request", "invalid Content-Length");
            }
            if (length > maxBodyBytes) {
                return Rejection.closing(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                        "request body of " + length + " bytes exceeds the limit of " + maxBodyBytes + " bytes");
            }
        }
        return null;
    }

    /** A {@code Content-Length} value: digits only, no sign or spaces inside, no overflow; -1 when invalid or null. */
    static long parseContentLength(String value) {
        if (value == null) {
            return -1;
        }
        String v = value.trim();
        if (v.isEmpty() || v.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static Rejection decoderFailure(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return Rejection.closing(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long",
                    "request line exceeds server.limits.max_initial_line");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return Rejection.closing(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large",
                    "request headers exceed server.limits.max_header_bytes");
        }
        return MALFORMED;
    }
}
