package io.gatehouse.grpc;

import io.gatehouse.context.Rejection;
import io.grpc.InternalStatus;
import io.grpc.Metadata;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcErrorsTest {
    @Test
    void aRefusalIsATrailersOnlyResponseWithItsCodeInTheMessage() {
        Rejection rejection = Rejection.of(HttpResponseStatus.UNAUTHORIZED, "unauthorized", "missing API key")
                .withHeader(HttpHeaderNames.WWW_AUTHENTICATE, "ApiKey");

        FullHttpResponse response = GrpcErrors.response(rejection);

        assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(response.content().isReadable()).isFalse();
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/grpc");
        assertThat(response.headers().get("grpc-status")).isEqualTo("16");
        assertThat(response.headers().get("grpc-message")).isEqualTo("unauthorized: missing API key");
        assertThat(response.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).isEqualTo("ApiKey");
        assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isZero();
        assertThat(GrpcRetryRule.trailersOnlyStatus(response)).isEqualTo(GrpcStatus.UNAUTHENTICATED);
        assertThat(response.release()).isFalse(); // the shared empty buffer: nothing to free
    }

    @Test
    void theMessageIsPercentEncodedAsGrpcClientsDecodeIt() {
        String text = "no route for /caf\u00e9 at 100% \u2014 \"quoted\"\ttab";
        FullHttpResponse response = GrpcErrors.response(
                Rejection.of(HttpResponseStatus.NOT_FOUND, "route_not_found", text));

        String encoded = response.headers().get("grpc-message");
        assertThat(encoded).isEqualTo("route_not_found: no route for /caf%C3%A9 at 100%25 %E2%80%94 \"quoted\"%09tab");
        Metadata trailers = new Metadata();
        trailers.put(Metadata.Key.of("grpc-message", Metadata.ASCII_STRING_MARSHALLER), encoded);
        assertThat(trailers.get(InternalStatus.MESSAGE_KEY)).isEqualTo("route_not_found: " + text);
        assertThat(response.headers().get("grpc-status")).isEqualTo("12");
    }

    @Test
    void plainAsciiIsSentAsItIs() {
        assertThat(GrpcMessage.encode("rate_limited: too many requests")).isEqualTo("rate_limited: too many requests");
        assertThat(GrpcMessage.encode("")).isEmpty();
    }
}
