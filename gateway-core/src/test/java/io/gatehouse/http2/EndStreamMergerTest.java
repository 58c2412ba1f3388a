package io.gatehouse.http2;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The frames a stream sends for a head and a last part, through Netty's codec and the merger. */
class EndStreamMergerTest {
    private static List<String> frames(boolean server, Object... writes) {
        EmbeddedChannel channel = new EmbeddedChannel(new Http2StreamFrameToHttpObjectCodec(server),
                new EndStreamMerger());
        for (Object write : writes) {
            if (write == null) {
                channel.flush();
            } else {
                channel.write(write);
            }
        }
        channel.flush();
        List<String> frames = new ArrayList<>();
        for (Object frame; (frame = channel.readOutbound()) != null; ReferenceCountUtil.release(frame)) {
            if (frame instanceof Http2HeadersFrame headers) {
                frames.add("HEADERS" + (headers.isEndStream() ? " END_STREAM" : ""));
            } else {
                Http2DataFrame data = (Http2DataFrame) frame;
                frames.add("DATA " + data.content().readableBytes() + (data.isEndStream() ? " END_STREAM" : ""));
            }
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return frames;
    }

    private static DefaultHttpResponse ok() {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    }

    private static DefaultHttpRequest get() {
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x");
        request.headers().set("host", "backend");
        return request;
    }

    @Test
    void aTrailersOnlyResponseStaysOneHeadersFrameWithEndStream() {
        assertThat(frames(true, ok(), LastHttpContent.EMPTY_LAST_CONTENT)).containsExactly("HEADERS END_STREAM");
    }

    @Test
    void aBodilessRequestIsOneHeadersFrame() {
        assertThat(frames(false, get(), LastHttpContent.EMPTY_LAST_CONTENT)).containsExactly("HEADERS END_STREAM");
    }

    @Test
    void aBodyOrTrailersOrAFlushInBetweenKeepTheFramesApart() {
        assertThat(frames(true, ok(), new DefaultHttpContent(Unpooled.copiedBuffer("ab", StandardCharsets.US_ASCII)),
                LastHttpContent.EMPTY_LAST_CONTENT)).containsExactly("HEADERS", "DATA 2", "DATA 0 END_STREAM");
        DefaultLastHttpContent trailers = new DefaultLastHttpContent();
        trailers.trailingHeaders().set("grpc-status", "0");
        assertThat(frames(true, ok(), trailers)).containsExactly("HEADERS", "HEADERS END_STREAM");
        assertThat(frames(true, ok(), null, LastHttpContent.EMPTY_LAST_CONTENT))
                .containsExactly("HEADERS", "DATA 0 END_STREAM");
    }

    @Test
    void aHeadStillHeldWhenTheStreamClosesIsDroppedAndItsWriterTold() {
        EmbeddedChannel stream = new EmbeddedChannel(new Http2StreamFrameToHttpObjectCodec(true),
                new EndStreamMerger());
        ChannelFuture head = stream.write(ok());
        stream.close();
        assertThat(stream.<Object>readOutbound()).isNull();
        assertThat(head.isDone() && !head.isSuccess()).isTrue();
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }
}
