package io.gatehouse.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator: {@code connections} threads, each keeping one keep-alive HTTP/1.1 connection busy with
 * {@code GET path}, one request after the other. Every answer is kept as a {@link Sample}; anything else (an I/O
 * error, a status other than 200, a closed connection) is a failure, after which that thread reconnects.
 */
final class KeepAliveLoad implements AutoCloseable {
    /** One answered request: when it was sent and answered ({@link System#nanoTime}), and the response body. */
    record Sample(long sentNanos, long answeredNanos, String body) {
        long latencyNanos() {
            return answeredNanos - sentNanos;
        }
    }

    /** What a run produced. */
    record Result(List<Sample> samples, List<String> failures) {
        /** The latency under which {@code percent} of the samples were answered, in milliseconds. */
        double percentileMillis(double percent) {
            long[] latencies = samples.stream().mapToLong(Sample::latencyNanos).sorted().toArray();
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(percent / 100 * latencies.length) - 1;
            return latencies[Math.max(0, index)] / 1e6;
        }
    }

    private static final int READ_TIMEOUT_MS = 10_000;

    private final int port;
    private final byte[] request;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong answered = new AtomicLong();
    private final List<List<Sample>> samplesPerThread = new ArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private KeepAliveLoad(int port, String path) {
        this.port = port;
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static KeepAliveLoad start(int port, String path, int connections) {
        KeepAliveLoad load = new KeepAliveLoad(port, path);
        for (int i = 0; i < connections; i++) {
            List<Sample> samples = new ArrayList<>();
            load.samplesPerThread.add(samples);
            Thread thread = new Thread(() -> load.run(samples), "load-" + i);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    /** Requests answered so far, by all connections. */
    long answered() {
        return answered.get();
    }

    /** Stops sending, waits for the requests in flight, and returns everything recorded. */
    Result stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(READ_TIMEOUT_MS * 2L);
        }
        List<Sample> all = new ArrayList<>();
        samplesPerThread.forEach(all::addAll);
        return new Result(all, List.copyOf(failures));
    }

    private void run(List<Sample> samples) {
        while (running.get()) {
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(READ_TIMEOUT_MS);
                socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
                exchangeUntilStopped(socket, samples);
            } catch (IOException | RuntimeException e) {
                failures.add(e.toString());
            }
        }
    }

    /** Sends requests on one connection until stopped; throws on the first failure. */
    private void exchangeUntilStopped(Socket socket, List<Sample> samples) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        while (running.get()) {
            long sent = System.nanoTime();
            out.write(request);
            out.flush();
            String body = readResponse(in);
            samples.add(new Sample(sent, System.nanoTime(), body));
            answered.incrementAndGet();
        }
    }

    /** Reads one response framed by Content-Length; a status other than 200 or a {@code Connection: close} fails. */
    private static String readResponse(InputStream in) throws IOException {
        String status = readLine(in);
        int contentLength = -1;
        boolean close = false;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            String name = line.substring(0, Math.max(colon, 0)).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = Integer.parseInt(value);
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        if (contentLength < 0) {
            throw new IOException("no Content-Length in response: " + status);
        }
        String body = new String(in.readNBytes(contentLength), StandardCharsets.UTF_8);
        if (!status.startsWith("HTTP/1.1 200 ")) {
            throw new IOException("unexpected " + status + ": " + body);
        }
        if (close) {
            throw new IOException("the gateway closed a keep-alive connection after " + body);
        }
        return body;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed by the gateway after \"" + line + "\"");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
