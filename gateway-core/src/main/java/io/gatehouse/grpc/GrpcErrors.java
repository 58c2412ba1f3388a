package io.gatehouse.grpc;

import io.gatehouse.context.Rejection;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The gateway's own refusals as a gRPC client understands them: HTTP 200 and a "trailers-only" response, a head with
 * no body whose headers carry {@code grpc-status} and {@code grpc-message} (over HTTP/2 one HEADERS frame that ends
 * the stream). The status comes from the refusal's HTTP status ({@link GrpcStatus#ofHttpStatus}); the message is
 * the refusal's stable error code, then its text, {@code unauthorized: missing API key}, so logs and clients can
 * match on the same code as in the JSON errors. The refusal's extra headers (Retry-After, WWW-Authenticate) go along
 * as response metadata.
 */
public final class GrpcErrors {
    private GrpcErrors() {}

    /** The gRPC form of {@code rejection}; its body is empty, so it holds no buffer to release. */
    public static FullHttpResponse response(Rejection rejection) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.EMPTY_BUFFER);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, GrpcHeaders.APPLICATION_GRPC)
                .set(GrpcHeaders.GRPC_STATUS, status(rejection).headerValue())
                .set(GrpcHeaders.GRPC_MESSAGE, GrpcMessage.encode(rejection.code() + ": " + rejection.message()))
                .add(rejection.headers())
                // Frames the empty body for an HTTP/1.1 client; harmless in an HTTP/2 HEADERS frame.
                .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }

    /** The gRPC status a client gets for {@code rejection}. */
    public static GrpcStatus status(Rejection rejection) {
        return GrpcStatus.ofHttpStatus(rejection.status().code());
    }
}
