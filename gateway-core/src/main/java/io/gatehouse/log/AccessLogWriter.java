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
 * queue in batches and issues one write per batch rather than per line; when idle it sleeps briefly. A full
 * queue drops lines (counted) rather than slow the proxy down. {@link #close} writes what is queued and stops the
 * thread.
 */
final class AccessLogWriter {
    private static final int CAPACITY = 65_536;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int BUFFER_BYTES = 64 * 1024;
    /** How long {@link #close} waits for the queued lines to be written (stdout blocked would hang shutdown). */
    private static final long CLOSE_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final Queue<RequestContext> queue = PlatformDependent.newFixedMpscQueue(CAPACITY);
    private final OutputStream out;
    private final LongAdder dropped = new LongAdder();
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final StringBuilder line = new StringBuilder(512);
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
            AccessLog.format(next, line);
            line.append('\n');
            append(line);
        }
    }

    private void append(CharSequence text) {
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
