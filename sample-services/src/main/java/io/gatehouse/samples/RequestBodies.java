package io.gatehouse.samples;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;

/** Reads JSON request bodies: checks the media type, enforces the size limit, parses strictly. */
final class RequestBodies {

    /** Largest accepted request body. */
    static final int MAX_BYTES = 64 * 1024;
    /** How much of an oversized body is discarded before answering 413, so the client sees the response. */
    private static final long MAX_DRAIN_BYTES = 1024 * 1024;

    private RequestBodies() {
    }

    static JsonNode readJson(HttpExchange exchange) throws IOException {
        requireJsonContentType(exchange.getRequestHeaders().getFirst("Content-Type"));
        return parse(readBounded(exchange));
    }

    static void requireJsonContentType(String contentType) {
        if (contentType == null) {
            throw ApiException.unsupportedMediaType();
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            throw ApiException.unsupportedMediaType();
        }
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.invalidJson("request body is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiException.invalidJson("malformed JSON" + where);
        } catch (IOException e) {
            throw ApiException.invalidJson("malformed JSON");
        }
    }

    private static byte[] readBounded(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        if (declaredLength(exchange) > MAX_BYTES) {
            drain(in);
            throw ApiException.payloadTooLarge(MAX_BYTES);
        }
        byte[] body = in.readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            drain(in);
            throw ApiException.payloadTooLarge(MAX_BYTES);
        }
        return body;
    }

    private static long declaredLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        long drained = 0;
        int n;
        while (drained < MAX_DRAIN_BYTES && (n = in.read(buffer)) != -1) {
            drained += n;
        }
    }
}
