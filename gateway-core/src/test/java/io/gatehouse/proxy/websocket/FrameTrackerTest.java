package io.gatehouse.proxy.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameTrackerTest {
    /** A masked binary frame of {@code length} zero bytes, with the header form its length needs. */
    private static ByteBuf maskedFrame(int opcode, int length) {
        ByteBuf frame = Unpooled.buffer();
        frame.writeByte(0x80 | opcode);
        if (length < 126) {
            frame.writeByte(0x80 | length);
        } else if (length < 65536) {
            frame.writeByte(0x80 | 126).writeShort(length);
        } else {
            frame.writeByte(0x80 | 127).writeLong(length);
        }
        return frame.writeInt(0x01020304).writeZero(length);
    }

    @Test
    void followsFramesOfEachLengthFormEvenWhenSplitAnywhere() {
        ByteBuf stream = Unpooled.wrappedBuffer(maskedFrame(0x2, 5), maskedFrame(0x2, 300), maskedFrame(0x2, 70_000),
                maskedFrame(0x1, 0));
        List<Integer> ends = List.of(11, 11 + 308, 11 + 308 + 70_014, 11 + 308 + 70_014 + 6);
        for (int split = 1; split < 40; split++) { // fed in pieces of every small size: headers split every way
            FrameTracker tracker = new FrameTracker();
            List<Integer> boundaries = new ArrayList<>();
            for (int from = 0; from < stream.writerIndex(); from += split) {
                int to = Math.min(from + split, stream.writerIndex());
                for (int i = from; i < to; i = tracker.scan(stream, i, i + 1, false)) {
                    // one byte at a time within the piece, to see every boundary
                }
                if (tracker.atFrameBoundary()) {
                    boundaries.add(to);
                }
            }
            assertThat(boundaries).as("split %d", split).isSubsetOf(ends).contains(stream.writerIndex());
            assertThat(tracker.sawClose()).isFalse();
        }
        stream.release();
    }

    @Test
    void stopsWhereTheFrameUnderWayEndsOrAtOnceBetweenFrames() {
        ByteBuf stream = Unpooled.wrappedBuffer(maskedFrame(0x2, 300), maskedFrame(0x2, 5));
        FrameTracker tracker = new FrameTracker();

        assertThat(tracker.scan(stream, 0, stream.writerIndex(), true)).isZero();
        assertThat(tracker.scan(stream, 0, 3, false)).isEqualTo(3); // a header split after its length byte
        assertThat(tracker.scan(stream, 3, stream.writerIndex(), true)).isEqualTo(308);
        assertThat(tracker.atFrameBoundary()).isTrue();
        assertThat(tracker.scan(stream, 308, stream.writerIndex(), false)).isEqualTo(stream.writerIndex());
        stream.release();
    }

    @Test
    void noticesACloseFrame() {
        FrameTracker tracker = new FrameTracker();
        ByteBuf close = maskedFrame(0x8, 2);

        tracker.scan(close, 0, 2, false);

        assertThat(tracker.sawClose()).isFalse(); // its length and mask still to come
        tracker.scan(close, 2, close.writerIndex(), false);
        assertThat(tracker.sawClose()).isTrue();
        assertThat(tracker.atFrameBoundary()).isTrue();
        close.release();
    }

    @Test
    void aLengthWithItsTopBitSetIsMalformed() {
        FrameTracker tracker = new FrameTracker();
        ByteBuf bad = Unpooled.buffer().writeByte(0x82).writeByte(127).writeLong(-1L);

        tracker.scan(bad, 0, bad.writerIndex(), false);

        assertThat(tracker.isMalformed()).isTrue();
        bad.release();
    }
}
