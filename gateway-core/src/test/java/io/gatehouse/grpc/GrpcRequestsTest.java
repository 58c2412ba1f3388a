package io.gatehouse.grpc;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcRequestsTest {
    @Test
    void grpcContentTypesWithOrWithoutASubtype() {
        assertThat(GrpcRequests.isGrpc(contentType("application/grpc"))).isTrue();
        assertThat(GrpcRequests.isGrpc(contentType("application/grpc+proto"))).isTrue();
        assertThat(GrpcRequests.isGrpc(contentType("application/grpc+json"))).isTrue();
        assertThat(GrpcRequests.isGrpc(contentType("Application/GRPC"))).isTrue();
        assertThat(GrpcRequests.isGrpc(contentType("application/grpc; charset=utf-8"))).isTrue();
    }

    @Test
    void otherContentTypesAndGrpcWebAreNot() {
        assertThat(GrpcRequests.isGrpc(new DefaultHttpHeaders())).isFalse();
        assertThat(GrpcRequests.isGrpc(contentType("application/json"))).isFalse();
        assertThat(GrpcRequests.isGrpc(contentType("application/grpc-web"))).isFalse();
        assertThat(GrpcRequests.isGrpc(contentType("application/grpc-web-text+proto"))).isFalse();
        assertThat(GrpcRequests.isGrpc(contentType("application/grpcx"))).isFalse();
        assertThat(GrpcRequests.isGrpc(contentType("application/grp"))).isFalse();
    }

    private static HttpHeaders contentType(String value) {
        return new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, value);
    }
}
