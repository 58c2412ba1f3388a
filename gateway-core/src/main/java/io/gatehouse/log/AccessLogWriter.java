package io.gatehouse.log;

import io.gatehouse.context.RequestContext;
import io.netty.util.internal.PlatformDependent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Formats and writes access-log lines on one background thread, so an event loop only enqueues the finished
 * {@link RequestContext} (a lock-free queue; nothing blocks, nothing wakes a thread). The writer drains the
 * queue in batches and issues one write per batch rather than per line; when the queue is empty it sleeps
 * {@value #IDLE_PARK_MILLIS} ms. That pause is what a line may wait before it is written; it is long enough that on a
 * gateway pinned to one core the writer wakes (and takes the core from the event loop) about a hundred times a
 * second, not per request. A full queue drops lines (counted) rather than slow the proxy down. {@link #close} writes
 * what is queued and stops the thread.
 */
final class AccessLogWriter {
    private static final int CAPACITY = 65_536;
    private static final long IDLE_PARK_MILLIS = 10;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(IDLE_PARK_MILLIS);
    private static final int BUFFER_BYTES = 64 * 1024;
    /** How long {@link #close} waits for the queued lines to be written (stdout blocked would hang shutdown). */
    private static final long CLOSE_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final Queue<RequestContext> queue = PlatformDependent.newFixedMpscQueue(CAPACITY);
    private final OutputStream out;
    private final LongAdder dropped = new LongAdder();
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final StringBuilder line = new StringBuilder(512);
    private final UtcMillis clock = new UtcMillis();
    private final Thread thread;
    private volatile boolean closed;
    private int buffered;

    AccessLogWriter(OutputStream out) {
        this.out = out;
        this.thread = new Thread(this::run, "gatehouse-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    void submit(RequestContext finished) {
        if (closed || !queue.offer(finished)) {
            dropped.increment();
        }
    }

    /** Called once no more lines come (the event loops have stopped); not on an event loop, as it waits. */
    void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long dropped() {
        return dropped.sum();
    }

    private void run() {
        while (true) {
            RequestContext next = queue.poll();
            if (next == null) {
                flush();
                if (closed && queue.isEmpty()) {
                    return;
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            line.setLength(0);
            AccessLog.format(next, line, clock);
            line.append('\n');
            append(line);
        }
    }

    /** Copies an ASCII line straight into the buffer; any other line (rare: a non-ASCII path) is UTF-8 encoded. */
    private void append(StringBuilder text) {
        int length = text.length();
        if (buffered + length > buffer.length) {
            flush();
        }
        if (length <= buffer.length && copyAscii(text, length)) {
            return;
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (buffered + bytes.length > buffer.length) {
            flush();
        }
        if (bytes.length > buffer.length) {
            write(bytes, bytes.length);
            return;
        }
        System.arraycopy(bytes, 0, buffer, buffered, bytes.length);
        buffered += bytes.length;
    }

    /** Whether {@code text} was all ASCII and is now in the buffer (else the buffer is as it was). */
    private boolean copyAscii(StringBuilder text, int length) {
        int at = buffered;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            buffer[at++] = (byte) c;
        }
        buffered = at;
        return true;
    }

    private void flush() {
        if (buffered > 0) {
            write(buffer, buffered);
            buffered = 0;
        }
    }

    private void write(byte[] bytes, int length) {
        try {
            out.write(bytes, 0, length);
            out.flush();
        } catch (IOException e) {
            dropped.increment(); // stdout closed: nothing sensible to do but count
        }
    }
}
