package io.gatehouse.security;

import io.gatehouse.config.CorsConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code cors:} section, applied per request on the event loop (Fetch standard, "CORS protocol").
 *
 * <p>Everything a response may carry is computed once here, as {@link AsciiString}s that Netty writes without
 * encoding; per request only the request's own values are echoed. {@code *} is never answered together with
 * credentials: browsers reject such answers, so the constructor refuses configurations that would need one.
 */
public final class CorsPolicy {
    private static final AsciiString ANY = AsciiString.cached("*");
    private static final AsciiString TRUE = AsciiString.cached("true");
    private static final AsciiString[] ACTUAL_VARY = {AsciiString.cached("Origin")};
    /** A preflight answer depends on all three: caches must not reuse one for another origin, method or headers. */
    private static final AsciiString[] PREFLIGHT_VARY = {ACTUAL_VARY[0],
            AsciiString.cached("Access-Control-Request-Method"), AsciiString.cached("Access-Control-Request-Headers")};
    private static final AsciiString ACTUAL_VARY_VALUE = joined(List.of(ACTUAL_VARY));
    private static final AsciiString PREFLIGHT_VARY_VALUE = joined(List.of(PREFLIGHT_VARY));
    /** CORS-safelisted methods: browsers never ask about them, so a preflight for one is always answered yes. */
    private static final List<String> SAFELISTED_METHODS = List.of("GET", "HEAD", "POST");

    private final OriginMatcher origins;
    private final boolean credentials;
    private final Set<String> methods;
    private final boolean anyHeader;
    private final String[] headers;
    private final AsciiString allowMethods;
    private final AsciiString allowHeaders;
    private final AsciiString exposeHeaders;
    private final AsciiString maxAge;

    /** @throws IllegalArgumentException for a bad origin, {@code *} with credentials, a name that is no token */
    public CorsPolicy(CorsConfig config) {
        origins = new OriginMatcher(config.allowedOrigins());
        credentials = config.allowCredentials();
        if (origins.any() && credentials) {
            throw new IllegalArgumentException("allowed origin \"*\" cannot be combined with credentials");
        }
        List<String> methodList = tokens(config.allowedMethods(), "method", "list the methods instead");
        methods = new HashSet<>(methodList);
        methods.addAll(SAFELISTED_METHODS);
        List<String> headerList = tokens(config.allowedHeaders(), "allowed header", null);
        anyHeader = headerList.contains("*");
        headers = headerList.toArray(String[]::new);
        List<String> exposed = tokens(config.exposedHeaders(), "exposed header",
                credentials ? "browsers read it as a header name when credentials are allowed" : null);
        allowMethods = joined(methodList);
        allowHeaders = anyHeader ? null : joined(headerList);
        exposeHeaders = joined(exposed);
        Duration age = config.maxAge();
        long seconds = age == null ? 0 : age.getSeconds();
        maxAge = seconds > 0 ? AsciiString.of(Long.toString(seconds)) : null;
    }

    /** A CORS preflight: OPTIONS with both Origin and Access-Control-Request-Method. */
    public static boolean isPreflight(HttpRequest request) {
        HttpHeaders headers = request.headers();
        return HttpMethod.OPTIONS.equals(request.method()) && headers.contains(HttpHeaderNames.ORIGIN)
                && headers.contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /** The method a preflight asks about (value of Access-Control-Request-Method), for routing the preflight. */
    public static String requestedMethod(HttpRequest request) {
        return requestedMethod(request.headers());
    }

    /**
     * Answers a preflight. Allowed: a 204 response head's headers are filled into {@code response} and null is
     * returned. Refused: returns a short human reason and adds only {@code Vary} to {@code response}, so that a
     * cache does not serve the refusal to an origin that is allowed.
     */
    public String preflight(HttpHeaders requestHeaders, HttpHeaders response) {
        HeaderValues.addToVary(response, PREFLIGHT_VARY, PREFLIGHT_VARY_VALUE);
        String origin = requestHeaders.get(HttpHeaderNames.ORIGIN);
        if (!origins.matches(origin)) {
            return "origin not allowed";
        }
        String method = requestedMethod(requestHeaders);
        if (!methods.contains(method)) {
            return "method " + method + " not allowed";
        }
        String requested = requestHeaders.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        String refused = requested == null ? null : refusedHeader(requested);
        if (refused != null) {
            return "header " + refused + " not allowed";
        }
        allowOrigin(origin, response);
        setIfPresent(response, HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, allowMethods);
        if (!anyHeader) {
            setIfPresent(response, HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders);
        } else if (requested != null && !requested.isBlank()) {
            // Echoed rather than "*": with credentials browsers read "*" as a header name, and it never covers
            // Authorization. Every element was checked to be a token, so this cannot inject anything.
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested.trim());
        }
        setIfPresent(response, HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, maxAge);
        return null;
    }

    /**
     * For an actual (non-preflight) request: adds Access-Control-Allow-Origin / -Allow-Credentials / -Expose-Headers
     * when {@code origin} (may be null) is allowed, and always {@code Vary: Origin}, because whether those headers
     * are present depends on the origin even in {@code *} mode (a missing or {@code null} origin gets none).
     */
    public void applyToResponse(String origin, HttpHeaders response) {
        HeaderValues.addToVary(response, ACTUAL_VARY, ACTUAL_VARY_VALUE);
        if (origins.matches(origin)) {
            allowOrigin(origin, response);
            setIfPresent(response, HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, exposeHeaders);
        }
    }

    /** True when {@code origin} is allowed (exposed for tests and logs). */
    public boolean allowsOrigin(String origin) {
        return origins.matches(origin);
    }

    private void allowOrigin(String origin, HttpHeaders response) {
        response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origins.any() ? ANY : origin);
        if (credentials) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
    }

    /** The first element of an Access-Control-Request-Headers value that is not allowed, or null. */
    private String refusedHeader(String requested) {
        for (int from = 0; from < requested.length(); ) {
            int comma = HeaderValues.elementEnd(requested, from);
            int start = HeaderValues.skipSpaces(requested, from, comma);
            int end = HeaderValues.trimEnd(requested, start, comma);
            if (start < end && !headerAllowed(requested, start, end)) {
                return requested.substring(start, end);
            }
            from = comma + 1;
        }
        return null;
    }

    /** With {@code *} any well-formed name, since it is echoed back; otherwise a configured one. */
    private boolean headerAllowed(String requested, int start, int end) {
        if (anyHeader) {
            return HeaderValues.isToken(requested, start, end);
        }
        for (String header : headers) {
            int length = header.length();
            if (length == end - start && HeaderValues.regionEqualsIgnoreCase(requested, start, header, 0, length)) {
                return true;
            }
        }
        return false;
    }

    private static String requestedMethod(HttpHeaders headers) {
        String method = headers.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        return method == null ? null : method.trim();
    }

    private static void setIfPresent(HttpHeaders response, AsciiString name, AsciiString value) {
        if (value != null) {
            response.set(name, value);
        }
    }

    /** The values trimmed, each checked to be an HTTP token, and not {@code *} when {@code starProblem} says why. */
    private static List<String> tokens(List<String> values, String what, String starProblem) {
        List<String> out = new ArrayList<>(values.size());
        for (String value : values) {
            String token = value.trim();
            if (!HeaderValues.isToken(token, 0, token.length())) {
                throw new IllegalArgumentException(what + " \"" + value + "\" (expected: an HTTP token)");
            }
            if (token.equals("*") && starProblem != null) {
                throw new IllegalArgumentException(what + " \"*\" is not supported: " + starProblem);
            }
            out.add(token);
        }
        return out;
    }

    /** The values comma-joined for a response header, or null when there are none (the header is then omitted). */
    private static AsciiString joined(List<? extends CharSequence> values) {
        return values.isEmpty() ? null : AsciiString.of(String.join(", ", values));
    }
}
