package io.gatehouse.proxy.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The close frames the gateway itself sends into a tunnel (RFC 6455 §5.5.1): to the client unmasked, as a server
 * does, and to the backend masked, as a client must. The masking key only has to keep the payload from being
 * predictable on the wire; the payload is a fixed code and reason, so a thread-local random key is enough.
 */
final class CloseFrames {
    /** 1001 "going away": the gateway ends the tunnel (idle, lifetime, shutdown). */
    static final int GOING_AWAY = 1001;

    private CloseFrames() {}

    static ByteBuf toClient(ByteBufAllocator alloc, int code, String reason) {
        return frame(alloc, code, reason, false);
    }

    static ByteBuf toBackend(ByteBufAllocator alloc, int code, String reason) {
        return frame(alloc, code, reason, true);
    }

    private static ByteBuf frame(ByteBufAllocator alloc, int code, String reason, boolean masked) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = 2 + text.length; // at most 125 in a control frame: reasons here are short constants
        ByteBuf frame = alloc.buffer(2 + (masked ? 4 : 0) + length);
        frame.writeByte(0x88); // FIN + close
        frame.writeByte((masked ? 0x80 : 0) | length);
        byte[] payload = new byte[length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        if (masked) {
            byte[] key = new byte[4];
            ThreadLocalRandom.current().nextBytes(key);
            frame.writeBytes(key);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return frame.writeBytes(payload);
    }
}
