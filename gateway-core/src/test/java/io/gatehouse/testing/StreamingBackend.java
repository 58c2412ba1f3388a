package io.gatehouse.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * A backend that never holds a body in memory: {@code POST /upload} reads the request body as a stream and
 * answers {@code "<bytes> <crc32>"}; {@code GET /download?bytes=N} streams N bytes of {@link PatternStream}
 * with a Content-Length. It counts what it has written so far, so tests can see backpressure reach it.
 */
public final class StreamingBackend implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong bytesWritten = new AtomicLong();

    public StreamingBackend() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/upload", this::upload);
        server.createContext("/download", this::download);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public long bytesWritten() {
        return bytesWritten.get();
    }

    private void upload(HttpExchange exchange) throws IOException {
        CRC32 crc = new CRC32();
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = exchange.getRequestBody()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                crc.update(buf, 0, n);
                total += n;
            }
        }
        byte[] answer = (total + " " + crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private void download(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        long size = Long.parseLong(query.substring(query.indexOf('=') + 1));
        exchange.sendResponseHeaders(200, size);
        byte[] buf = new byte[64 * 1024];
        try (InputStream source = new PatternStream(size); OutputStream out = exchange.getResponseBody()) {
            int n;
            while ((n = source.read(buf)) >= 0) {
                out.write(buf, 0, n);
                bytesWritten.addAndGet(n);
            }
        } catch (IOException e) {
            // the gateway went away: nothing left to do
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
