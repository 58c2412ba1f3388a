package io.gatehouse.proxy;

import io.netty.handler.codec.http.HttpHeaders;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request IDs: a client's {@code X-Request-ID} is kept when it is 1–128 chars of {@code [A-Za-z0-9._-]};
 * otherwise the gateway makes one of 128 random bits in hex. IDs correlate logs, they are not secrets, so the
 * fast thread-local generator serves.
 */
public final class RequestIds {
    private static final int MAX_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {}

    /** The client's ID when acceptable, else a new one. */
    public static String of(HttpHeaders headers) {
        String id = headers.get(ResponseHeaders.X_REQUEST_ID);
        return id != null && isValid(id) ? id : generate();
    }

    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[32];
        writeHex(random.nextLong(), out, 0);
        writeHex(random.nextLong(), out, 16);
        return new String(out);
    }

    private static void writeHex(long bits, char[] out, int offset) {
        for (int i = 15; i >= 0; i--) {
            out[offset + i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
    }

    static boolean isValid(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
