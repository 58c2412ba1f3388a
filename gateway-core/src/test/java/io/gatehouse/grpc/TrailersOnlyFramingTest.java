package io.gatehouse.grpc;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The frames an HTTP/2 stream's codec makes of a response relayed as a head and an end. */
class TrailersOnlyFramingTest {
    private final EmbeddedChannel stream = new EmbeddedChannel(new Http2StreamFrameToHttpObjectCodec(true),
            new TrailersOnlyFraming());

    @Test
    void aTrailersOnlyHeadAndItsEmptyEndAreOneHeadersFrameEndingTheStream() {
        ChannelFuture head = stream.write(grpcHead("14"));
        ChannelFuture end = stream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);

        Http2HeadersFrame frame = stream.readOutbound();
        assertThat(frame.isEndStream()).isTrue();
        assertThat(frame.headers().status().toString()).isEqualTo("200");
        assertThat(frame.headers().get("grpc-status").toString()).isEqualTo("14");
        assertThat(frame.headers().get("grpc-message").toString()).isEqualTo("try again");
        assertThat(stream.<Object>readOutbound()).isNull();
        assertThat(head.isSuccess()).isTrue();
        assertThat(end.isSuccess()).isTrue();
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aHeadWithoutGrpcStatusIsNotHeld() {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("content-type", "application/grpc");
        stream.write(head);
        stream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);

        Http2HeadersFrame frame = stream.readOutbound();
        assertThat(frame.isEndStream()).isFalse(); // as any other response: the codec's own framing
        Http2DataFrame data = stream.readOutbound();
        assertThat(data.isEndStream()).isTrue();
        data.release();
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aHeldHeadGoesAsItWasWhenABodyOrAFlushFollows() {
        stream.write(grpcHead("0"));
        stream.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("msg", StandardCharsets.US_ASCII)));
        Http2HeadersFrame first = stream.readOutbound();
        assertThat(first.isEndStream()).isFalse();
        ReferenceCountUtil.release(stream.readOutbound());

        EmbeddedChannel other = new EmbeddedChannel(new Http2StreamFrameToHttpObjectCodec(true),
                new TrailersOnlyFraming());
        other.writeAndFlush(grpcHead("0"));
        assertThat(((Http2HeadersFrame) other.readOutbound()).isEndStream()).isFalse();
        assertThat(other.finishAndReleaseAll()).isFalse();
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aHeadStillHeldWhenTheStreamClosesIsReleased() {
        stream.write(grpcHead("14"));
        stream.close();
        assertThat(stream.<Object>readOutbound()).isNull();
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }

    private static HttpResponse grpcHead(String status) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("content-type", "application/grpc").set("grpc-status", status)
                .set("grpc-message", "try again");
        return head;
    }
}
