package io.gatehouse.proxy.downstream;

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
 * protocol version, the request target's bytes, Host, the framing ambiguities that enable request smuggling and
 * {@code Expect}. The router asks it separately about an absolute-form target's authority, and, once the route is
 * known, about the body size limit. Any framing doubt closes the connection, since the next request's boundary is
 * then unknown; so does a malformed target or Host.
 */
public final class RequestHeadValidator {
    /** The answer to anything the codec could not frame; what it could not parse goes to the log, not the client. */
    static final Rejection MALFORMED = Rejection.closing(HttpResponseStatus.BAD_REQUEST, "bad_request",
            "malformed request");
    private static final Rejection TOO_MANY_HEADERS = Rejection.closing(
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too_many_headers",
            "request has more header fields than server.limits.max_headers");
    private static final Rejection INVALID_TARGET = Rejection.closing(HttpResponseStatus.BAD_REQUEST,
            "invalid_request_target", "the request target must be visible ASCII characters only");
    private static final Rejection USERINFO_IN_TARGET = Rejection.closing(HttpResponseStatus.BAD_REQUEST,
            "invalid_request_target", "the request target must not carry userinfo");
    private static final Rejection INVALID_HOST = Rejection.closing(HttpResponseStatus.BAD_REQUEST,
            "invalid_host", "invalid Host (expected host[:port])");

    private final long maxBodyBytes;
    private final int maxHeaders;

    public RequestHeadValidator(long maxBodyBytes, int maxHeaders) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxHeaders = maxHeaders;
    }

    /** Whether {@code msg} is what the HTTP decoder produces for input it could not frame. */
    public static boolean isMalformed(Object msg) {
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
        if (!RequestTarget.isVisibleAscii(request.uri())) {
            return INVALID_TARGET;
        }
        HttpHeaders headers = request.headers();
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1 || (hosts.isEmpty() && version.minorVersion() == 1)) {
            return Rejection.closing(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "an HTTP/1.1 request needs exactly one Host header");
        }
        if (hosts.size() == 1 && !HostSyntax.isValidHostHeader(hosts.get(0))) {
            return INVALID_HOST;
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

    /**
     * @param authority the authority of an absolute-form target, which replaces the Host header (RFC 9112 §3.2.2)
     * @return why it must be refused, or {@code null}
     */
    Rejection validateAuthority(String authority) {
        if (authority.indexOf('@') >= 0) {
            return USERINFO_IN_TARGET; // RFC 9110 §4.2.4: to be treated as an error, never passed on
        }
        return HostSyntax.isValidAuthority(authority) ? null : INVALID_HOST;
    }

    /**
     * The declared body against {@code server.limits.max_body_bytes}; checked after routing so that the refusal
     * is counted under the route. {@link #validate} has already refused a malformed Content-Length.
     *
     * @return the 413 refusal, or {@code null}
     */
    Rejection checkDeclaredBody(HttpHeaders headers) {
        String contentLength = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (contentLength == null) {
            return null;
        }
        long length = parseContentLength(contentLength);
        if (length <= maxBodyBytes) {
            return null;
        }
        return Rejection.closing(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                "request body of " + length + " bytes exceeds the limit of " + maxBodyBytes + " bytes");
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
        if (contentLengths.size() == 1 && parseContentLength(contentLengths.get(0)) < 0) {
            return Rejection.closing(HttpResponseStatus.BAD_REQUEST, "bad_request", "invalid Content-Length");
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
