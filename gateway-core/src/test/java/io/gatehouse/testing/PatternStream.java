package io.gatehouse.testing;

import java.io.InputStream;

/** {@code length} bytes of a fixed, non-repeating-looking pattern, generated on the fly (no memory held). */
public final class PatternStream extends InputStream {
    private final long length;
    private long position;

    public PatternStream(long length) {
        this.length = length;
    }

    static byte byteAt(long position) {
        return (byte) ((position * 31 + (position >>> 13)) & 0xFF);
    }

    @Override
    public int read() {
        return position < length ? byteAt(position++) & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; i++) {
            b[off + i] = byteAt(position++);
        }
        return n;
    }

    @Override
    public void close() {
        // nothing to release
    }

    /** The CRC32 of the first {@code length} pattern bytes. */
    public static long crc32(long length) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] buf = new byte[64 * 1024];
        try (PatternStream in = new PatternStream(length)) {
            int n;
            while ((n = in.read(buf, 0, buf.length)) >= 0) {
                crc.update(buf, 0, n);
            }
        }
        return crc.getValue();
    }
}
