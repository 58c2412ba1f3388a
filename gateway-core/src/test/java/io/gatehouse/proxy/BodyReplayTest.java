package io.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.LeakDetectionExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Keeping and replaying request body parts, with reference counts checked throughout. Each test plays the
 * upstream writer: it hands a part to {@link BodyReplay#sent}, then "writes" it (reads its bytes) and releases it.
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

    /** What the upstream writer does with a part: notes it, sends its bytes, releases it. */
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
    void keepsPartsUpToTheLimitAndReplaysTheSameBytesAgainAndAgain(Alloc alloc) {
        BodyReplay replay = new BodyReplay(11, 11);
        HttpContent hello = part(alloc, "hello ");
        LastHttpContent world = last(alloc, "world");

        replay.sent(hello);
        assertThat(hello.content().refCnt()).as("the writer's reference and the kept one").isEqualTo(2);
        hello.content().skipBytes(6);
        hello.release();
        send(replay, world);

        assertThat(hello.content().refCnt()).as("kept after the writer let go").isEqualTo(1);
        assertThat(world.content().refCnt()).isEqualTo(1);
        assertThat(replay.canReplay()).isTrue();
        assertThat(replayed(replay)).containsExactly("hello ", "last:world");
        assertThat(replayed(replay)).as("a second retry").containsExactly("hello ", "last:world");
        assertThat(hello.content().refCnt()).as("replayed parts were released by their writer").isEqualTo(1);

        replay.release();
        assertThat(hello.content().refCnt()).isZero();
        assertThat(world.content().refCnt()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void eachReplayedPartIsAFreshDuplicateTheWriterOwns(Alloc alloc) {
        BodyReplay replay = new BodyReplay(100, 0);
        HttpContent part = part(alloc, "abc");
        send(replay, part);

        List<HttpContent> held = new ArrayList<>();
        replay.replay(held::add);
        replay.replay(held::add);

        assertThat(held).hasSize(2);
        assertThat(held).allSatisfy(p -> assertThat(p.content().refCnt()).isPositive());
        held.get(0).content().skipBytes(3);
        assertThat(held.get(1).content().readableBytes()).as("independent reader indexes").isEqualTo(3);
        held.forEach(HttpContent::release);
        replay.release();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void isCompleteOnceTheLastPartIsKept(Alloc alloc) {
        BodyReplay replay = new BodyReplay(100, 0);
        assertThat(replay.isComplete()).isFalse();

        send(replay, part(alloc, "a"));
        send(replay, part(alloc, "b"));
        assertThat(replay.isComplete()).isFalse();
        send(replay, last(alloc, "c"));
        assertThat(replay.isComplete()).isTrue();
        assertThat(replayed(replay)).containsExactly("a", "b", "last:c");

        replay.release();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void trailersAreReplayedWithTheLastPart(Alloc alloc) {
        BodyReplay replay = new BodyReplay(100, 0);
        LastHttpContent end = last(alloc, "x");
        end.trailingHeaders().set("x-checksum", "42");
        send(replay, end);

        List<String> trailers = new ArrayList<>();
        replay.replay(p -> {
            trailers.add(((LastHttpContent) p).trailingHeaders().get("x-checksum"));
            p.release();
        });

        assertThat(trailers).containsExactly("42");
        replay.release();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void outgrowingTheLimitReleasesWhatWasKeptAndEndsReplay(Alloc alloc) {
        BodyReplay replay = new BodyReplay(8, 0);
        HttpContent hello = part(alloc, "hello ");
        HttpContent world = part(alloc, "world");
        LastHttpContent end = last(alloc, "!");

        send(replay, hello);
        assertThat(hello.content().refCnt()).isEqualTo(1);
        replay.sent(world);
        assertThat(hello.content().refCnt()).as("let go once the body outgrew the limit").isZero();
        assertThat(world.content().refCnt()).as("the outgrowing part is not kept").isEqualTo(1);
        world.release();
        replay.sent(end);
        assertThat(end.content().refCnt()).as("nor anything after it").isEqualTo(1);
        end.release();

        assertThat(replay.canReplay()).isFalse();
        assertThat(replay.isComplete()).isFalse();
        assertThat(replayed(replay)).isEmpty();
        replay.release();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void aBodyOfExactlyTheLimitIsKept(Alloc alloc) {
        BodyReplay replay = new BodyReplay(3, 0);
        send(replay, part(alloc, "ab"));
        send(replay, last(alloc, "c"));

        assertThat(replay.canReplay()).isTrue();
        assertThat(replayed(replay)).containsExactly("ab", "last:c");
        replay.release();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void aDeclaredLengthAboveTheLimitKeepsNothingButAllowsAReplayUntilAPartIsSent(Alloc alloc) {
        BodyReplay replay = new BodyReplay(8, 100);
        assertThat(replay.canReplay()).as("nothing sent yet: a connect failure can still be retried").isTrue();
        assertThat(replayed(replay)).isEmpty();

        HttpContent small = part(alloc, "abc");
        replay.sent(small);

        assertThat(small.content().refCnt()).as("not kept, though it fits").isEqualTo(1);
        small.release();
        assertThat(replay.canReplay()).isFalse();
        assertThat(replayed(replay)).isEmpty();
        replay.release();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void aNegativeLimitKeepsNothing(Alloc alloc) {
        BodyReplay replay = new BodyReplay(-1, 0);
        assertThat(replay.canReplay()).isTrue();

        LastHttpContent end = last(alloc, "abc");
        replay.sent(end);

        assertThat(end.content().refCnt()).isEqualTo(1);
        end.release();
        assertThat(replay.canReplay()).isFalse();
        assertThat(replay.isComplete()).isFalse();
        assertThat(replayed(replay)).isEmpty();
        replay.release();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void releaseFreesEverythingAndNothingIsReplayedAfterwards(Alloc alloc) {
        BodyReplay replay = new BodyReplay(100, 0);
        HttpContent a = part(alloc, "a");
        HttpContent b = part(alloc, "b");
        send(replay, a);
        send(replay, b);
        assertThat(a.content().refCnt()).isEqualTo(1);

        replay.release();

        assertThat(a.content().refCnt()).isZero();
        assertThat(b.content().refCnt()).isZero();
        assertThat(replay.canReplay()).isFalse();
        assertThat(replayed(replay)).isEmpty();
        replay.release(); // twice is harmless

        send(replay, part(alloc, "c"));
        assertThat(replayed(replay)).as("nothing is kept after release").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Alloc.class)
    void releaseWhileAReplayedPartIsStillInFlightLeavesItToItsWriter(Alloc alloc) {
        BodyReplay replay = new BodyReplay(100, 0);
        HttpContent a = part(alloc, "a");
        send(replay, a);
        List<HttpContent> inFlight = new ArrayList<>();
        replay.replay(inFlight::add);

        replay.release();

        assertThat(a.content().refCnt()).isEqualTo(1);
        assertThat(inFlight.get(0).content().toString(StandardCharsets.US_ASCII)).isEqualTo("a");
        inFlight.get(0).release();
        assertThat(a.content().refCnt()).isZero();
    }

    @Test
    void anEmptyBodyIsKeptAndReplayedAsItsEnd() {
        BodyReplay replay = new BodyReplay(0, 0);

        replay.sent(LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(replay.canReplay()).isTrue();
        assertThat(replay.isComplete()).isTrue();
        assertThat(replayed(replay)).containsExactly("last:");
        replay.release();
    }
}
