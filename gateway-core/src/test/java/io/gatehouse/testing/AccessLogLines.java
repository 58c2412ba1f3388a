package io.gatehouse.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The stream a test gateway's access log writes to: keeps each complete line for the test to read, and copies the
 * bytes to stdout as a gateway would. Written by the access-log thread, read by the test's.
 */
final class AccessLogLines extends OutputStream {
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        } else {
            partial.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
        System.out.write(bytes, offset, length);
    }

    @Override
    public void flush() {
        System.out.flush();
    }

    /** Every complete line so far, in the order they were written. */
    List<String> lines() {
        return List.copyOf(lines);
    }
}
