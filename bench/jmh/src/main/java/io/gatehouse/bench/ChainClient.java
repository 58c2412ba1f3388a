package io.gatehouse.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The client of {@link ChainBenchmark}: one keep-alive connection, one request in flight, blocking I/O into a
 * reused buffer, so that it allocates next to nothing per request. It checks each answer's status and reads
 * exactly {@code Content-Length} bytes of body (the gateway answers with a length, never chunked, here).
 */
final class ChainClient implements AutoCloseable {
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final byte[] CONTENT_LENGTH = "\r\ncontent-length:".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] request;
    private final byte[] buf = new byte[64 * 1024];

    ChainClient(int port, String request) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(5_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        this.request = request.getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the request and reads its whole response; returns the number of body bytes. */
    int exchange() throws IOException {
        out.write(request);
        int filled = 0;
        int headEnd = -1;
        while (headEnd < 0) {
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) {
                throw new IOException("connection closed before the response head ended");
            }
            filled += n;
            headEnd = indexOf(buf, filled, HEAD_END, 0);
        }
        int status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
        if (status != 200) {
            throw new IOException("status " + status + ": " + new String(buf, 0, filled, StandardCharsets.US_ASCII));
        }
        int bodyStart = headEnd + HEAD_END.length;
        int length = contentLength(headEnd);
        while (filled < bodyStart + length) {
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) {
                throw new IOException("connection closed in the response body");
            }
            filled += n;
        }
        return length;
    }

    private int contentLength(int headEnd) throws IOException {
        int at = indexOfIgnoreCase(headEnd);
        if (at < 0) {
            throw new IOException("response without content-length");
        }
        int i = at + CONTENT_LENGTH.length;
        while (buf[i] == ' ') {
            i++;
        }
        int value = 0;
        while (buf[i] >= '0' && buf[i] <= '9') {
            value = value * 10 + (buf[i++] - '0');
        }
        return value;
    }

    private int indexOfIgnoreCase(int end) {
        outer:
        for (int i = 0; i + CONTENT_LENGTH.length <= end; i++) {
            for (int j = 0; j < CONTENT_LENGTH.length; j++) {
                if (Character.toLowerCase(buf[i + j]) != CONTENT_LENGTH[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int indexOf(byte[] data, int end, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
