package io.gatehouse.explain;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The request to explain, as a client would send it.
 *
 * @param method   e.g. {@code GET}; compared case-sensitively, as the gateway does
 * @param path     the path as sent (before normalisation), without the query
 * @param host     the host the request names, with or without a port; {@code null} falls back to a {@code Host}
 *                 header in {@code headers}, else names none
 * @param headers  the request headers (read-only)
 * @param query    the query string after {@code '?'}, or {@code null}
 * @param clientIp the real client address (after trusted proxies), which IP rules judge; {@code null} when unknown
 */
public record ExplainRequest(String method, String path, String host, HttpHeaders headers, String query,
                             InetAddress clientIp) {
    public ExplainRequest {
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        requireNonNull(headers, "headers");
    }

    /**
     * Reads the admin API's query parameters: {@code method} (default GET), {@code path} (required; a {@code ?query}
     * in it is split off unless {@code query} is given), {@code host}, {@code header} (repeatable,
     * {@code Name:value}), {@code query} and {@code client_ip} (an IP address literal).
     *
     * @throws IllegalArgumentException naming the parameter and what was expected, e.g.
     *                                  {@code path: missing (expected: the request path, such as /users/7)}
     */
    public static ExplainRequest fromParameters(Map<String, List<String>> parameters) {
        String method = single(parameters, "method");
        if (method == null) {
            method = "GET";
        } else if (method.isEmpty() || method.chars().anyMatch(c -> c <= ' ' || c >= 0x7F)) {
            throw new IllegalArgumentException("method: '" + method + "' (expected: an HTTP method such as GET)");
        }
        String path = single(parameters, "path");
        if (path == null) {
            throw new IllegalArgumentException("path: missing (expected: the request path, such as /users/7)");
        }
        String query = single(parameters, "query");
        int mark = path.indexOf('?');
        if (mark >= 0) {
            if (query == null) {
                query = path.substring(mark + 1);
            }
            path = path.substring(0, mark);
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String header : parameters.getOrDefault("header", List.of())) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("header: '" + header + "' (expected: Name:value, such as "
                        + "X-Api-Version:2)");
            }
            try {
                headers.add(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
            } catch (IllegalArgumentException invalid) {
                throw new IllegalArgumentException("header: '" + header + "' (expected: a valid header name and "
                        + "value, such as X-Api-Version:2)", invalid);
            }
        }
        return new ExplainRequest(method, path, single(parameters, "host"), readOnly(headers), query,
                clientIp(single(parameters, "client_ip")));
    }

    /** An address literal only: explaining never resolves a name. */
    private static InetAddress clientIp(String text) {
        if (text == null) {
            return null;
        }
        if (!NetUtil.isValidIpV4Address(text) && !NetUtil.isValidIpV6Address(text)) {
            throw new IllegalArgumentException("client_ip: '" + text + "' (expected: an IP address such as "
                    + "203.0.113.7)");
        }
        return NetUtil.createInetAddressFromIpAddressString(text);
    }

    private static String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException(name + ": given " + values.size() + " times (expected: once)");
        }
        return values.get(0);
    }

    private static HttpHeaders readOnly(HttpHeaders headers) {
        List<CharSequence> pairs = new ArrayList<>();
        headers.forEach(entry -> {
            pairs.add(entry.getKey());
            pairs.add(entry.getValue());
        });
        return new ReadOnlyHttpHeaders(true, pairs.toArray(CharSequence[]::new));
    }
}
