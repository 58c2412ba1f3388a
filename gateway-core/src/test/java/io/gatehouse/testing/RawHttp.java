package io.gatehouse.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain socket for the protocol tests an HTTP client library would not let through (smuggling, pipelining). */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;

    public RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
    }

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    /** Reads and writes an already connected socket, e.g. one whose buffer sizes a test chose. */
    public static RawHttp over(Socket socket) {
        return new RawHttp(socket);
    }

    /** An HTTP/1.1 request text without a body: {@code headerLines} are complete lines such as "X-A: 1". */
    public static String request(String method, String target, String... headerLines) {
        StringBuilder text = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        boolean hasHost = false;
        for (String line : headerLines) {
            hasHost |= line.regionMatches(true, 0, "Host:", 0, 5);
            text.append(line).append("\r\n");
        }
        if (!hasHost) {
            text.append("Host: gateway.test\r\n");
        }
        return text.append("\r\n").toString();
    }

    public RawHttp send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    public Socket socket() {
        return socket;
    }

    /** Reads until the peer closes (or the timeout) and returns everything received. */
    public String readUntilClose() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
            // what arrived so far is the answer
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads one response with a Content-Length body and returns it whole (head and body). */
    public String readResponse() throws IOException {
        String headText = readHead();
        int length = 0;
        for (String line : headText.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        byte[] body = socket.getInputStream().readNBytes(length);
        return headText + new String(body, StandardCharsets.ISO_8859_1);
    }

    /** Reads one response head, up to and including its blank line, e.g. the whole answer to a HEAD request. */
    public String readHead() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** True when the peer has closed the connection (a read returns end of stream). */
    public boolean isClosedByPeer() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
