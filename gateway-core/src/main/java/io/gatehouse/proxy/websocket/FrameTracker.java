package io.gatehouse.proxy.websocket;

import io.netty.buffer.ByteBuf;

/**
 * Follows the frame boundaries of one direction of a WebSocket byte stream (RFC 6455 §5.2) without decoding or
 * copying payloads: it reads each frame header (opcode, mask bit, length) and skips the payload. That is enough to
 * inject a close frame between two frames, never inside one, and to notice a close frame passing through. Bytes are
 * fed in order; a header may be split across buffers.
 */
final class FrameTracker {
    private static final int OPCODE_CLOSE = 0x8;
    private static final int MAX_HEADER = 14;

    private final byte[] header = new byte[MAX_HEADER];
    private int headerRead;
    private int headerLength;
    private long payloadLeft;
    private boolean sawClose;
    private boolean malformed;

    /**
     * Reads {@code buf}'s bytes from {@code from} up to {@code to}. With {@code stopAtFrameEnd} it stops where the
     * frame under way ends, at once when between frames.
     *
     * @return the index after the last byte read: {@code to}, or the end of a frame
     */
    int scan(ByteBuf buf, int from, int to, boolean stopAtFrameEnd) {
        int i = from;
        if (stopAtFrameEnd && atFrameBoundary()) {
            return i;
        }
        while (i < to && !malformed) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, to - i);
                i += skip;
                payloadLeft -= skip;
            } else {
                readHeaderByte(buf.getByte(i++));
            }
            if (stopAtFrameEnd && atFrameBoundary()) {
                return i;
            }
        }
        return malformed ? to : i;
    }

    /** True between two frames. */
    boolean atFrameBoundary() {
        return headerRead == 0 && payloadLeft == 0;
    }

    /** Whether a close frame's header went by. */
    boolean sawClose() {
        return sawClose;
    }

    /** A 64-bit length with its top bit set: not a WebSocket stream this can follow. */
    boolean isMalformed() {
        return malformed;
    }

    private void readHeaderByte(byte b) {
        header[headerRead++] = b;
        if (headerRead == 2) {
            int length7 = header[1] & 0x7F;
            int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
            headerLength = 2 + extended + ((header[1] & 0x80) != 0 ? 4 : 0);
        }
        if (headerRead < 2 || headerRead < headerLength) {
            return;
        }
        payloadLeft = payloadLength();
        malformed = payloadLeft < 0;
        if ((header[0] & 0x0F) == OPCODE_CLOSE) {
            sawClose = true;
        }
        headerRead = 0;
    }

    private long payloadLength() {
        int length7 = header[1] & 0x7F;
        if (length7 < 126) {
            return length7;
        }
        int bytes = length7 == 126 ? 2 : 8;
        long length = 0;
        for (int i = 0; i < bytes; i++) {
            length = length << 8 | header[2 + i] & 0xFF;
        }
        return length;
    }
}
