package io.gatehouse.grpc;

import io.netty.util.AsciiString;

/** The names and values of the HTTP/2 headers gRPC defines (grpc/doc/PROTOCOL-HTTP2.md), made once. */
public final class GrpcHeaders {
    public static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
    public static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
    public static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
    /** The content type of gRPC over HTTP/2; a request may add a subtype, {@code application/grpc+proto}. */
    public static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");

    private GrpcHeaders() {}
}
