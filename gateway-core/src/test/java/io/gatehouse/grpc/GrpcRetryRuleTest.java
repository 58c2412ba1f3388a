package io.gatehouse.grpc;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcRetryRuleTest {
    private final GrpcRetryRule rule = new GrpcRetryRule(Set.of(GrpcStatus.UNAVAILABLE, GrpcStatus.ABORTED));

    @Test
    void aTrailersOnlyResponseWithAListedStatusIsRetried() {
        assertThat(rule.retries(trailersOnly(HttpResponseStatus.OK, "14"))).isTrue();
        assertThat(rule.retries(trailersOnly(HttpResponseStatus.OK, "10"))).isTrue();
    }

    @Test
    void otherStatusesAreNot() {
        assertThat(rule.retries(trailersOnly(HttpResponseStatus.OK, "0"))).isFalse();
        assertThat(rule.retries(trailersOnly(HttpResponseStatus.OK, "13"))).isFalse();
        assertThat(rule.retries(trailersOnly(HttpResponseStatus.OK, "99"))).isFalse();
        assertThat(rule.retries(trailersOnly(HttpResponseStatus.OK, null))).isFalse();
        // Not a gRPC answer at all: the HTTP retry conditions judge it.
        assertThat(rule.retries(trailersOnly(HttpResponseStatus.SERVICE_UNAVAILABLE, "14"))).isFalse();
    }

    @Test
    void aResponseThatSentHeadersFirstIsCommitted() {
        // Its status comes in the trailers, after the head the exchange judges (and relays).
        HttpResponse headersFirst = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        headersFirst.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
        assertThat(GrpcRetryRule.trailersOnlyStatus(headersFirst)).isNull();
        assertThat(rule.retries(headersFirst)).isFalse();
    }

    @Test
    void aTrailersOnlyHeadSplitFromItsEndIsStillOne() {
        // As a stream codec hands over a HEADERS frame that ended the stream: a head, then an empty last part.
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc").set("grpc-status", "14");
        assertThat(GrpcRetryRule.trailersOnlyStatus(head)).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(rule.retries(head)).isTrue();
    }

    @Test
    void noCodesRetryNothing() {
        assertThat(new GrpcRetryRule(Set.of()).retries(trailersOnly(HttpResponseStatus.OK, "14"))).isFalse();
    }

    private static FullHttpResponse trailersOnly(HttpResponseStatus status, String grpcStatus) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
        if (grpcStatus != null) {
            response.headers().set("grpc-status", grpcStatus);
        }
        return response;
    }
}
