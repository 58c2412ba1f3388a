package io.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 backend on plain sockets, for tests that need to see the gateway's side of a connection as a
 * backend does (when it closes, how fast it sends) or to answer in ways an HTTP server library would not (interim
 * responses, protocol switches nobody asked for, malformed chunks: exact bytes). Each
 * accepted connection is handed to a {@link Script} on its own thread; it counts the connections that the gateway
 * closed in the middle of a request body, and keeps every request head the scripts read exactly as its bytes came.
 */
public final class RawBackend implements AutoCloseable {
    /** Serves one connection; returning closes it. */
    @FunctionalInterface
    public interface Script {
        void serve(Connection connection) throws IOException, InterruptedException;
    }

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger closedMidBody = new AtomicInteger();
    private final BlockingQueue<String> heads = new LinkedBlockingQueue<>();

    /** @param receiveBuffer the accepted sockets' receive buffer in bytes (small: backpressure shows early) */
    public RawBackend(int receiveBuffer, Script script) throws IOException {
        listener = new ServerSocket();
        listener.setReceiveBufferSize(receiveBuffer);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        threads.execute(() -> acceptAll(script));
    }

    /** Answers every request 200 {@code "<body bytes received>"}, keeping the connection alive. */
    public static RawBackend counting() throws IOException {
        return new RawBackend(64 * 1024, connection -> {
            String head;
            while ((head = connection.readHead()) != null) {
                long length = contentLength(head);
                if (connection.skip(length) < length) {
                    return;
                }
                connection.respond(200, Long.toString(length));
            }
        });
    }

    /** A backend with a default receive buffer that serves each connection with {@code script}. */
    public static RawBackend start(Script script) throws IOException {
        return new RawBackend(64 * 1024, script);
    }

    /** Answers every request, which must have no body, with {@code response} as it is, keeping the connection. */
    public static RawBackend answering(String response) throws IOException {
        return new RawBackend(64 * 1024, connection -> {
            while (connection.readHead() != null) {
                connection.send(response);
            }
        });
    }

    /** Answers every request without a body 200 "ok". */
    public static RawBackend ok() throws IOException {
        return answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }

    /** Answers every request 200 with the body it received (by Content-Length or chunked), keeping it alive. */
    public static RawBackend echoing() throws IOException {
        return new RawBackend(64 * 1024, connection -> {
            String head;
            while ((head = connection.readHead()) != null) {
                connection.respond(200, connection.readBody(head));
            }
        });
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections the gateway opened to this backend so far. */
    public int accepted() {
        return sockets.size();
    }

    /** Connections the gateway closed while the backend was still reading a request body. */
    public int closedMidBody() {
        return closedMidBody.get();
    }

    /**
     * The next request head read, up to and including its blank line, as Latin-1 text: one char per byte, so its
     * bytes are exactly what the gateway sent. Fails when none comes soon.
     */
    public String takeHead() throws InterruptedException {
        String head = heads.poll(2, TimeUnit.SECONDS);
        assertThat(head).as("request head at the backend").isNotNull();
        return head;
    }

    /** Asserts that no request arrived (waits briefly, since a proxied request would be in flight). */
    public void assertNoRequest() throws InterruptedException {
        assertThat(heads.poll(200, TimeUnit.MILLISECONDS)).as("request head at the backend").isNull();
    }

    private void acceptAll(Script script) {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                sockets.add(socket);
                threads.execute(() -> {
                    try (socket) {
                        script.serve(new Connection(socket));
                    } catch (IOException | InterruptedException e) {
                        // the gateway or the test closed it
                    }
                });
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
    }

    /** One accepted connection, read the way the scripts need. */
    public final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        /** The next request head, or {@code null} when the gateway closed the connection between requests. */
        public String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            heads.add(text);
            return text;
        }

        /** Reads exactly {@code length} body bytes. */
        public String readBody(int length) throws IOException {
            return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }

        /**
         * Reads and drops up to {@code bytes} of body; counts the connection in {@link #closedMidBody()} if the
         * gateway closes it first.
         *
         * @return the bytes read
         */
        public long skip(long bytes) throws IOException {
            byte[] buf = new byte[16 * 1024];
            long read = 0;
            while (read < bytes) {
                int n;
                try {
                    n = in.read(buf, 0, (int) Math.min(buf.length, bytes - read));
                } catch (IOException e) {
                    n = -1; // a reset
                }
                if (n < 0) {
                    closedMidBody.incrementAndGet();
                    return read;
                }
                read += n;
            }
            return read;
        }

        /** Reads the body that {@code head} frames, by its Content-Length or chunked (trailers dropped). */
        public String readBody(String head) throws IOException {
            if (!head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                return new String(in.readNBytes((int) contentLength(head)), StandardCharsets.ISO_8859_1);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int size;
            while ((size = Integer.parseInt(readLine().split(";")[0].trim(), 16)) > 0) {
                body.write(in.readNBytes(size));
                readLine();
            }
            while (!readLine().isEmpty()) {
                // a trailer field
            }
            return body.toString(StandardCharsets.ISO_8859_1);
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("closed mid-line");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        /** Sends raw bytes as they are, e.g. a response head without its body. */
        public void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        public void respond(int status, String body) throws IOException {
            send("HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        }

        /** Blocks until the peer closes the connection, or resets it; true then, false on a read timeout. */
        public boolean awaitClose() throws IOException {
            try {
                while (in.read() >= 0) {
                    // drain
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset
            }
        }

        /** Closes with a TCP reset instead of an orderly FIN. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }
    }

    /** The Content-Length of a request head, 0 without one. */
    public static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }
}
