package io.gatehouse.grpc;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.EnumSet;
import java.util.Set;

/**
 * When a gRPC call may be tried again (gRFC A6, "retry policy"): only while nothing of the response reached the
 * client, and only for the status codes the route lists in {@code retry.grpc_status_codes}. A gRPC failure is an
 * HTTP 200, so the judgement reads {@code grpc-status}, and only from a trailers-only response (a head that ends the
 * call with no message). A response that sent headers first is committed, as grpc-java's client sees it, and is
 * never retried whatever its trailers say.
 */
public final class GrpcRetryRule {
    private final Set<GrpcStatus> codes;

    public GrpcRetryRule(Set<GrpcStatus> codes) {
        this.codes = codes.isEmpty() ? EnumSet.noneOf(GrpcStatus.class) : EnumSet.copyOf(codes);
    }

    /** Whether this response head is a trailers-only response with a status the route retries. */
    public boolean retries(HttpResponse head) {
        GrpcStatus status = codes.isEmpty() ? null : trailersOnlyStatus(head);
        return status != null && codes.contains(status);
    }

    /**
     * The {@code grpc-status} of a trailers-only response, or null when {@code head} is not one: HTTP 200 and a
     * {@code grpc-status} header, with no body (the HTTP/2 HEADERS frame ended the stream, which the stream codec
     * turns into a full response; or, from an HTTP/1.1 peer, {@code content-length: 0}).
     */
    public static GrpcStatus trailersOnlyStatus(HttpResponse head) {
        if (head.status().code() != HttpResponseStatus.OK.code()) {
            return null;
        }
        boolean ended = head instanceof LastHttpContent last ? !last.content().isReadable()
                : "0".equals(head.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        return ended ? GrpcStatus.ofHeader(head.headers().get(GrpcHeaders.GRPC_STATUS)) : null;
    }
}
