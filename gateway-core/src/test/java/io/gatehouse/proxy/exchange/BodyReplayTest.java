package io.gatehouse.proxy.exchange;

import io.gatehouse.testing.LeakDetectionExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holding a request body before the first attempt and replaying it onto each attempt's connection, with reference
 * counts checked throughout. A test plays the exchange: it hands the client's parts to {@link BodyReplay#keep} while
 * the body is buffered, to {@link BodyReplay#sent} when it streams, and replays into a list as a new attempt's
 * writer would, reading each part's bytes and releasing it.
 */
@ExtendWith(LeakDetectionExtension.class)
class BodyReplayTest {
    enum Alloc {
        POOLED_DIRECT(PooledByteBufAllocator.DEFAULT, true),
        POOLED_HEAP(PooledByteBufAllocator.DEFAULT, false),
        UNPOOLED_HEAP(UnpooledByteBufAllocator.DEFAULT, false),
        UNPOOLED_DIRECT(UnpooledByteBufAllocator.DEFAULT, true);

        final ByteBufAllocator allocator;
        final boolean direct;

        Alloc(ByteBufAllocator allocator, boolean direct) {
            this.allocator = allocator;
            this.direct = direct;
        }
    }

    /** Every buffer a test allocated, to check none is left with a reference at the end. */
    private final List<ByteBuf> allocated = new ArrayList<>();

    @AfterEach
    void everyBufferWasReleased() {
        assertThat(allocated).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    }

    private ByteBuf buffer(Alloc alloc, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuf buf = alloc.direct ? alloc.allocator.directBuffer(bytes.length) : alloc.allocator.heapBuffer(bytes.length);
        allocated.add(buf.writeBytes(bytes));
        return buf;
    }

    private HttpContent part(Alloc alloc, String text) {
        return new DefaultHttpContent(buffer(alloc, text));
    }

    private LastHttpContent last(Alloc alloc, String text) {
        return new DefaultLastHttpContent(buffer(alloc, text));
    }

    private static HttpRequest post(long contentLength) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        return head;
    }

    private static HttpRequest chunkedPost() {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        return head;
    }

    private static BodyReplay replay(Alloc alloc, long limit, HttpRequest head, boolean resendable) {
        return new BodyReplay(alloc.allocator, limit, head, resendable);
    }

    /** What the writer does with a part that streams: notes it, sends its bytes, releases it. */
    private static void send(BodyReplay replay, HttpContent part) {
        replay.sent(part);
        part.content().skipBytes(part.content().readableBytes());
        part.release();
    }

    /** Replays into a list, reads what each replayed part holds, and releases the parts as a writer would. */
    private static List<String> replayed(BodyReplay replay) {
        List<String> texts = new ArrayList<>();
        replay.replay(part -> {
            texts.add((part instanceof LastHttpContent ? "last:" : "") + part.content().toString(StandardCharsets.US_ASCII));
            part.content().skipBytes(part.content().readableBytes());
            part.release();
        });
        return texts;
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void buffersABodyWithinTheLimitAndReplaysTheSameBytesAgainAndAgain(Alloc alloc) {
        BodyReplay replay = replay(alloc, 11, post(11), true);
        assertThat(replay.buffers()).isTrue();

        replay.keep(part(alloc, "hello "));
        assertThat(replay.buffers()).as("until the end arrives").isTrue();
        replay.keep(last(alloc, "world"));

        assertThat(replay.buffers()).isFalse();
        assertThat(replay.canReplay()).isTrue();
        assertThat(replayed(replay)).containsExactly("last:hello world");
        assertThat(replayed(replay)).as("a retry").containsExactly("last:hello world");
        assertThat(replay.canReplay()).isTrue();
        replay.release();
    }

    /** A part as the decoder makes it: a slice of the buffer a socket read filled, of {@code readCapacity} bytes. */
    private HttpContent readPart(Alloc alloc, String text, int readCapacity, boolean last) {
        ByteBuf read = buffer(alloc, text).capacity(readCapacity);
        ByteBuf slice = read.retainedSlice();
        read.release();
        return last ? new DefaultLastHttpContent(slice) : new DefaultHttpContent(slice);
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void aBodyInOnePartIsHeldAsItIsAndOneTrickledIsCopiedIntoOneBuffer(Alloc alloc) {
        BodyReplay whole = replay(alloc, 100, post(3), true);
        LastHttpContent abc = last(alloc, "abc");
        whole.keep(abc);
        assertThat(abc.content().refCnt()).as("held, not copied").isEqualTo(1);
        whole.release();
        assertThat(abc.content().refCnt()).isZero();

        BodyReplay trickled = replay(alloc, 100, post(3), true);
        HttpContent a = readPart(alloc, "a", 64, false);
        HttpContent b = readPart(alloc, "b", 64, false);
        trickled.keep(a);
        assertThat(a.content().refCnt()).isEqualTo(1);
        trickled.keep(b);
        assertThat(a.content().refCnt()).as("copied and let go: no read buffer is pinned per byte").isZero();
        assertThat(b.content().refCnt()).isZero();
        trickled.keep(readPart(alloc, "c", 64, true));
        assertThat(replayed(trickled)).containsExactly("last:abc");
        trickled.release();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void aBodyInLargeReadsIsHeldAsReadAndReplayedWhole(Alloc alloc) {
        String first = "a".repeat(16384);
        String second = "b".repeat(16384);
        String end = "c".repeat(1000);
        BodyReplay replay = replay(alloc, 64 * 1024, post(first.length() + second.length() + end.length()), true);
        HttpContent a = readPart(alloc, first, 16384, false);
        HttpContent b = readPart(alloc, second, 16384, false);
        replay.keep(a);
        replay.keep(b);
        replay.keep(readPart(alloc, end, 16384, true));
        assertThat(a.content().refCnt()).as("held as read, not copied").isEqualTo(1);
        assertThat(b.content().refCnt()).isEqualTo(1);

        assertThat(replayed(replay)).containsExactly("last:" + first + second + end);
        assertThat(replayed(replay)).as("a retry").containsExactly("last:" + first + second + end);
        replay.release();
        assertThat(a.content().refCnt()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void eachReplayIsAFreshDuplicateItsWriterOwns(Alloc alloc) {
        BodyReplay replay = replay(alloc, 100, post(3), true);
        replay.keep(last(alloc, "abc"));

        List<HttpContent> held = new ArrayList<>();
        replay.replay(held::add);
        replay.replay(held::add);
        replay.release();

        assertThat(held).hasSize(2);
        held.get(0).content().skipBytes(3);
        assertThat(held.get(1).content().readableBytes()).as("independent reader indexes").isEqualTo(3);
        assertThat(held.get(1).content().toString(StandardCharsets.US_ASCII)).as("still readable after release")
                .isEqualTo("abc");
        held.forEach(HttpContent::release);
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void aChunkedBodyIsBufferedWithItsTrailers(Alloc alloc) {
        BodyReplay replay = replay(alloc, 100, chunkedPost(), true);
        assertThat(replay.buffers()).isTrue();
        replay.keep(part(alloc, "x"));
        LastHttpContent end = last(alloc, "y");
        end.trailingHeaders().set("x-checksum", "42");
        replay.keep(end);

        List<String> trailers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            replay.replay(p -> {
                trailers.add(p.content().toString(StandardCharsets.US_ASCII) + " "
                        + ((LastHttpContent) p).trailingHeaders().get("x-checksum"));
                p.release();
            });
        }

        assertThat(trailers).containsExactly("xy 42", "xy 42");
        replay.release();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void aChunkedBodyThatOutgrowsTheLimitEndsBufferingAndIsSentOnceAsItsStart(Alloc alloc) {
        BodyReplay replay = replay(alloc, 8, chunkedPost(), true);
        replay.keep(part(alloc, "hello "));
        assertThat(replay.buffers()).isTrue();
        replay.keep(part(alloc, "world"));

        assertThat(replay.buffers()).as("the attempt starts now").isFalse();
        assertThat(replay.canReplay()).as("nothing sent yet: a connect failure can still be retried").isTrue();
        assertThat(replay.replay(p -> p.release())).as("not the end").isFalse();
        assertThat(replay.canReplay()).isFalse();
        assertThat(replayed(replay)).as("let go once sent").isEmpty();
        send(replay, last(alloc, "!"));
        assertThat(replay.canReplay()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void aBodyOfExactlyTheLimitIsBuffered(Alloc alloc) {
        BodyReplay replay = replay(alloc, 3, chunkedPost(), true);
        replay.keep(part(alloc, "ab"));
        replay.keep(last(alloc, "c"));

        assertThat(replay.canReplay()).isTrue();
        assertThat(replayed(replay)).containsExactly("last:abc");
        replay.release();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void aDeclaredLengthAboveTheLimitStreamsAndCannotBeReplayedOnceAPartIsSent(Alloc alloc) {
        BodyReplay replay = replay(alloc, 8, post(100), true);
        assertThat(replay.buffers()).isFalse();
        assertThat(replay.canReplay()).as("nothing sent yet: a connect failure can still be retried").isTrue();
        assertThat(replayed(replay)).isEmpty();

        HttpContent small = part(alloc, "abc");
        replay.sent(small);

        assertThat(small.content().refCnt()).as("not held, though it fits").isEqualTo(1);
        small.release();
        assertThat(replay.canReplay()).isFalse();
        assertThat(replayed(replay)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void aZeroLimitStreamsEveryBody(Alloc alloc) {
        BodyReplay replay = replay(alloc, 0, post(3), true);
        assertThat(replay.buffers()).isFalse();

        send(replay, last(alloc, "abc"));

        assertThat(replay.canReplay()).isFalse();
        assertThat(replayed(replay)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void theBodyOfAMethodNeverResentIsLetGoOnceSent(Alloc alloc) {
        BodyReplay replay = replay(alloc, 100, post(3), false);
        replay.keep(last(alloc, "abc"));
        assertThat(replay.canReplay()).as("a connect failure sent nothing").isTrue();

        assertThat(replayed(replay)).containsExactly("last:abc");

        assertThat(replay.canReplay()).isFalse();
        assertThat(replayed(replay)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void releaseWhileBufferingFreesEverythingAndEndsBuffering(Alloc alloc) {
        BodyReplay replay = replay(alloc, 100, post(10), true);
        replay.keep(part(alloc, "a"));
        replay.keep(part(alloc, "b"));

        replay.release();

        assertThat(replay.buffers()).isFalse();
        assertThat(replayed(replay)).isEmpty();
        replay.release(); // twice is harmless
    }

    @Test
    void aRequestWithoutABodyIsNotBufferedAndItsEmptyEndIsReplayed() {
        BodyReplay replay = new BodyReplay(UnpooledByteBufAllocator.DEFAULT, 100,
                new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"), true);
        assertThat(replay.buffers()).isFalse();

        replay.sent(LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(replay.canReplay()).isTrue();
        assertThat(replayed(replay)).containsExactly("last:");
        assertThat(replayed(replay)).containsExactly("last:");
        replay.release();
    }
}
