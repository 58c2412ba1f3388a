package io.gatehouse.grpc;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.EnumSet;
import java.util.Set;

/**
 * When a gRPC call may be tried again (gRFC A6, "retry policy"): only while nothing of the response reached the
 * client, and only for the status codes the route lists in {@code retry.grpc_status_codes}. A gRPC failure is an
 * HTTP 200, so the judgement reads {@code grpc-status}, and only from a trailers-only response (a head that ends the
 * call with no message). A response that sent its headers first is committed, as grpc-java's client sees it, and is
 * never retried whatever its trailers say; by then the exchange relays it anyway.
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
     * The {@code grpc-status} of a trailers-only response, or null when {@code head} is not one: an HTTP 200 whose
     * head carries {@code grpc-status}. A gRPC server puts the status in the head only when the head also ends the
     * call (grpc/doc/PROTOCOL-HTTP2.md: Response-Headers never hold it, Trailers-Only does), so the head says it
     * whether the HEADERS frame arrives whole or split into a head and an empty end.
     */
    public static GrpcStatus trailersOnlyStatus(HttpResponse head) {
        if (head.status().code() != HttpResponseStatus.OK.code()) {
            return null;
        }
        return GrpcStatus.ofHeader(head.headers().get(GrpcHeaders.GRPC_STATUS));
    }
}
