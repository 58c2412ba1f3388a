package io.gatehouse.pool;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A stream's decoded response as the exchange reads it: always a head, then parts, then a last part. */
class Http2ResponseAdapterTest {
    @Test
    void aFullResponseGoesOnAsAHeadAndALastPartWithItsBody() {
        EmbeddedChannel channel = new EmbeddedChannel(new Http2ResponseAdapter());
        FullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII));
        full.headers().set("grpc-status", "5").set("x-http2-stream-id", "3");

        channel.writeInbound(full);

        HttpResponse head = channel.readInbound();
        assertThat(head).isNotInstanceOf(LastHttpContent.class);
        assertThat(head.status().code()).isEqualTo(200);
        assertThat(head.headers().get("grpc-status")).isEqualTo("5");
        assertThat(head.headers().contains("x-http2-stream-id")).isFalse();
        LastHttpContent last = channel.readInbound();
        assertThat(last).isNotInstanceOf(HttpResponse.class);
        assertThat(last.content().toString(StandardCharsets.US_ASCII)).isEqualTo("x");
        last.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aHeadIsPassedOnWithoutTheCodecsStreamIdHeader() {
        EmbeddedChannel channel = new EmbeddedChannel(new Http2ResponseAdapter());
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set("x-http2-stream-id", "3").set("content-length", "10");

        channel.writeInbound(response);

        assertThat((Object) channel.readInbound()).isSameAs(response);
        assertThat(response.headers().names()).containsExactly("content-length");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void a101FailsTheStream() {
        EmbeddedChannel channel = new EmbeddedChannel(new Http2ResponseAdapter());

        assertThatThrownBy(() -> channel.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SWITCHING_PROTOCOLS))).isInstanceOf(ProtocolException.class);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
