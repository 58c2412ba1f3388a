package io.gatehouse.proxy;

import io.gatehouse.context.Rejection;
import io.gatehouse.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * The gateway's own JSON responses: {@code {"error":"bad_gateway","message":"...","request_id":"..."}}.
 * Every error the gateway answers by itself goes through here so they all look alike.
 */
public final class ErrorResponses {
    private ErrorResponses() {}

    public static FullHttpResponse error(ByteBufAllocator alloc, HttpResponseStatus status, String code,
                                         String message, String requestId) {
        StringBuilder json = new StringBuilder(96 + message.length());
        json.append("{\"error\":");
        Json.appendString(json, code);
        json.append(",\"message\":");
        Json.appendString(json, message);
        if (requestId != null) {
            json.append(",\"request_id\":");
            Json.appendString(json, requestId);
        }
        json.append("}\n");
        return json(alloc, status, json);
    }

    /** A response without a body, such as a preflight's 204, with {@code headers}. */
    public static FullHttpResponse empty(ByteBufAllocator alloc, HttpResponseStatus status, HttpHeaders headers) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, alloc.buffer(0));
        response.headers().add(headers).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }

    /** The answer to a {@link Rejection}, with its extra headers. */
    public static FullHttpResponse error(ByteBufAllocator alloc, Rejection rejection, String requestId) {
        FullHttpResponse response = error(alloc, rejection.status(), rejection.code(), rejection.message(), requestId);
        response.headers().add(rejection.headers());
        return response;
    }

    public static FullHttpResponse json(ByteBufAllocator alloc, HttpResponseStatus status, CharSequence body) {
        return text(alloc, status, HttpHeaderValues.APPLICATION_JSON, body);
    }

    public static FullHttpResponse text(ByteBufAllocator alloc, HttpResponseStatus status, CharSequence contentType,
                                        CharSequence body) {
        ByteBuf content = alloc.buffer(ByteBufUtil.utf8MaxBytes(body));
        content.writeCharSequence(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }
}
