package io.gatehouse.proxy.exchange;

import io.gatehouse.context.RequestContext;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * Relays the response an exchange committed to, from its backend connection to the client: the head (with the
 * gateway's response headers), then each body part, flushed once per upstream read. The upstream is read only
 * while the client keeps up; while it does not, the backend's silence does not count against the idle timeout.
 *
 * <p>The head is held back until the end of the upstream read that carried it (or the response's end, if that
 * comes first), together with the body parts of that read. Until then nothing of the response has reached the
 * client, so a failure in that read (a malformed first chunk, say) can still be answered with a clean 502 instead
 * of a cut-off 200: see {@link #isHeadSent} and {@link #discard}.
 */
final class ResponseRelay {
    private final Downstream client;
    private final RequestContext request;
    private final ExchangeTimers timers;
    private final boolean headRequest;
    private Channel upstream;
    private HttpResponse heldHead;
    /** Body parts of the head's read, held with it; created only when such a part arrives. */
    private List<HttpContent> heldParts;
    private boolean requestComplete;
    private boolean keepAlive;
    private boolean waitingForClient;

    ResponseRelay(Downstream client, RequestContext request, ExchangeTimers timers, boolean headRequest) {
        this.client = client;
        this.request = request;
        this.timers = timers;
        this.headRequest = headRequest;
    }

    /** Whether the exchange committed to a response from the backend, so nothing is retried any more. */
    boolean isStarted() {
        return upstream != null;
    }

    /** Whether the response head went to the client, so the exchange can no longer answer with an error. */
    boolean isHeadSent() {
        return upstream != null && heldHead == null;
    }

    /**
     * Takes the head, to be sent at the end of this upstream read. {@code requestComplete}: whether the whole
     * request reached the backend; if not, neither connection can be reused safely.
     */
    void start(HttpResponse response, Channel from, boolean requestComplete) {
        upstream = from;
        timers.responseStarted();
        keepAlive = HttpUtil.isKeepAlive(response);
        this.requestComplete = requestComplete;
        MessageHeads.prepareClientResponse(response);
        heldHead = response;
    }

    /** Relays a body part that is not the last. */
    void relay(HttpContent part) {
        if (heldHead == null) {
            send(part);
            return;
        }
        if (heldParts == null) {
            heldParts = new ArrayList<>(4);
        }
        heldParts.add(part);
    }

    /** Whether the backend let its connection be kept alive after this response. */
    boolean mayReuseUpstream() {
        return keepAlive;
    }

    /** Relays the last part; the client side ends the request once it is written. */
    void finish(LastHttpContent last) {
        sendHeld();
        request.addBytesOut(last.content().readableBytes());
        client.sendResponseEnd(last);
    }

    /** The end of one upstream read: send and flush what it relayed, and stop reading while the client is behind. */
    void readComplete() {
        sendHeld();
        timers.upstreamRead();
        client.flushResponse();
        if (!client.isWritable()) {
            waitingForClient = true;
            timers.pauseIdle(true);
            upstream.config().setAutoRead(false);
        }
    }

    void clientWritable() {
        if (waitingForClient) {
            waitingForClient = false;
            timers.pauseIdle(false);
            upstream.config().setAutoRead(true);
        }
    }

    /** Drops a head (and parts) not yet sent: the exchange answers with an error instead. */
    void discard() {
        if (heldHead == null) {
            return;
        }
        ReferenceCountUtil.release(heldHead);
        heldHead = null;
        if (heldParts != null) {
            heldParts.forEach(HttpContent::release);
            heldParts.clear();
        }
    }

    private void sendHeld() {
        HttpResponse head = heldHead;
        if (head == null) {
            return;
        }
        heldHead = null;
        request.status(head.status().code()); // what the client gets, from here on
        client.sendResponseHead(head, headRequest, requestComplete);
        if (heldParts != null) {
            for (HttpContent part : heldParts) {
                send(part);
            }
            heldParts.clear();
        }
    }

    private void send(HttpContent part) {
        request.addBytesOut(part.content().readableBytes());
        client.sendResponsePart(part);
    }
}
