package io.gatehouse.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The backend of a {@link TrainingRun}: a loopback HTTP/1.1 server answering every request with 200 and a small
 * JSON body, one request per connection, a thread per connection. Plain sockets, so that the training needs nothing
 * beyond what the gateway needs (a JRE image has no {@code jdk.httpserver} module to count on).
 */
final class TrainingBackend implements AutoCloseable {
    private static final String BODY = "{\"id\":1,\"name\":\"training\"}\n";
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEAD = 16 * 1024;

    private final ServerSocket listener;

    TrainingBackend() {
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("training: cannot listen on loopback", e);
        }
        Thread acceptor = new Thread(this::accept, "gatehouse-training-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread exchange = new Thread(() -> answer(socket), "gatehouse-training-exchange");
                exchange.setDaemon(true);
                exchange.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Reads the request head and its Content-Length body, answers 200, closes. */
    private static void answer(Socket socket) {
        try (socket) {
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            in.readNBytes(contentLength(head));
            socket.getOutputStream().write(RESPONSE);
        } catch (IOException e) {
            // the gateway went away: nothing to answer
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4 && head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }
}
