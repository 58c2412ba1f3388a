package io.gatehouse.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * A real WebSocket client for tests (OkHttp's), recording what it hears: messages in order (a String or a
 * {@link ByteString}), the open response, the close code and reason the other side sent, and a failure with the
 * response that caused it (a non-101 answer).
 */
public final class WsClient extends WebSocketListener {
    private static final OkHttpClient CLIENT = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();

    public final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    public volatile Response opened;
    public volatile Integer closeCode;
    public volatile String closeReason;
    public volatile boolean closed;
    public volatile Throwable failure;
    public volatile Response failedResponse;
    public final WebSocket socket;

    private WsClient(String url, Map<String, String> headers) {
        Request.Builder request = new Request.Builder().url(url);
        headers.forEach(request::header);
        socket = CLIENT.newWebSocket(request.build(), this);
    }

    public static WsClient connect(String url) {
        return connect(url, Map.of());
    }

    public static WsClient connect(String url, Map<String, String> headers) {
        return new WsClient(url, headers);
    }

    /** Connects and waits for the open and the backend's greeting. */
    public static WsClient open(String url, Map<String, String> headers) throws InterruptedException {
        WsClient client = connect(url, headers);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.opened != null || client.failure != null);
        if (client.failure != null) {
            throw new AssertionError("no WebSocket: " + client.failedResponse, client.failure);
        }
        Object greeting = client.next();
        if (!"hello".equals(greeting)) {
            throw new AssertionError("expected the backend's hello first, got " + greeting);
        }
        return client;
    }

    /** The next message, waiting 10 s at most. */
    public Object next() throws InterruptedException {
        Object message = messages.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message within 10 s");
        }
        return message;
    }

    /** Waits until the other side's close frame arrived. */
    public void awaitClosing(Duration atMost) {
        await().atMost(atMost).until(() -> closeCode != null || failure != null);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        opened = response;
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        messages.add(text);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
        messages.add(bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        closeReason = reason;
        closeCode = code;
        webSocket.close(code == 1005 ? 1000 : code, null); // answer the close, echoing its code
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        closed = true;
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        failedResponse = response;
        failure = t;
    }
}
