package io.gatehouse.server.http2;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What a stream's request looks like after the codec and {@link StreamRequests}, frame by frame. */
class StreamRequestsTest {
    private static EmbeddedChannel stream() {
        return new EmbeddedChannel(new Http2StreamFrameToHttpObjectCodec(true), StreamRequests.INSTANCE);
    }

    private static Http2Headers get() {
        return new DefaultHttp2Headers().method("GET").scheme("https").authority("api.test").path("/a?b=1");
    }

    @Test
    void headersThatEndTheStreamBecomeAHeadThenAnEmptyLastPart() {
        EmbeddedChannel stream = stream();

        stream.writeInbound(new DefaultHttp2HeadersFrame(get(), true));

        HttpRequest head = stream.readInbound();
        assertThat(head).isNotInstanceOf(LastHttpContent.class);
        assertThat(head.method().name()).isEqualTo("GET");
        assertThat(head.uri()).isEqualTo("/a?b=1");
        assertThat(head.headers().getAll("host")).containsExactly("api.test");
        assertThat(head.headers().names()).noneMatch(name -> name.startsWith("x-http2-"));
        LastHttpContent last = stream.readInbound();
        assertThat(last.content().readableBytes()).isZero();
        last.release();
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aBodyFollowsItsHeadInParts() {
        EmbeddedChannel stream = stream();

        stream.writeInbound(new DefaultHttp2HeadersFrame(get().method("POST"), false));
        stream.writeInbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("abc", StandardCharsets.UTF_8), true));

        HttpRequest head = stream.readInbound();
        assertThat(head).isNotInstanceOf(HttpContent.class);
        HttpContent last = stream.readInbound();
        assertThat(last).isInstanceOf(LastHttpContent.class);
        assertThat(last.content().toString(StandardCharsets.UTF_8)).isEqualTo("abc");
        last.release();
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }

    @Test
    void extensionHeadersAClientSentAreRemovedAndAHostLikeTheAuthorityIsKeptOnce() {
        EmbeddedChannel stream = stream();

        stream.writeInbound(new DefaultHttp2HeadersFrame(get().add("host", "api.test")
                .add("x-http2-scheme", "https").add("x-http2-stream-dependency-id", "3"), true));

        HttpRequest head = stream.readInbound();
        assertThat(head.headers().getAll("host")).containsExactly("api.test");
        assertThat(head.headers().names()).noneMatch(name -> name.startsWith("x-http2-"));
        stream.finishAndReleaseAll();
    }
}
