package io.gatehouse.grpc;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/** Tells a gRPC request from other HTTP requests. */
public final class GrpcRequests {
    private static final int PREFIX = GrpcHeaders.APPLICATION_GRPC.length();

    private GrpcRequests() {}

    /**
     * Whether the request is a gRPC call: its content type is {@code application/grpc}, alone or with a subtype
     * ({@code +proto}, {@code +json}) or parameters, in any letter case. gRPC-Web ({@code application/grpc-web})
     * is not: it frames its trailers into the body and travels as a plain HTTP exchange.
     */
    public static boolean isGrpc(HttpHeaders headers) {
        String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || contentType.length() < PREFIX
                || !contentType.regionMatches(true, 0, GrpcHeaders.APPLICATION_GRPC.toString(), 0, PREFIX)) {
            return false;
        }
        if (contentType.length() == PREFIX) {
            return true;
        }
        char next = contentType.charAt(PREFIX);
        return next == '+' || next == ';';
    }
}
