package io.gatehouse.grpc;

import java.nio.charset.StandardCharsets;

/**
 * The {@code grpc-message} value: the UTF-8 bytes of the text, each byte outside printable ASCII (0x20..0x7E) and
 * each {@code %} written as {@code %XX} (grpc/doc/PROTOCOL-HTTP2.md, "Percent-Encoded"), so that any text fits an
 * HTTP header and clients decode it back.
 */
final class GrpcMessage {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private GrpcMessage() {}

    static String encode(String text) {
        int i = 0;
        while (i < text.length() && unreserved(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text; // the common case: plain ASCII, nothing to escape
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (unreserved((char) c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean unreserved(char c) {
        return c >= ' ' && c <= '~' && c != '%';
    }
}
