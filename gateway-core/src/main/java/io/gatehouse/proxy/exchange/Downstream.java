package io.gatehouse.proxy.exchange;

import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.metrics.RouteMeters;
import io.gatehouse.pool.UpstreamConnection;
import io.gatehouse.route.Route;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The client side of one proxied request, as its {@link ProxyExchange} sees it: an HTTP/1.1 connection serving one
 * request at a time ({@code ClientConnectionHandler}), or one HTTP/2 stream. The exchange calls only this; the
 * client side calls the exchange, so the request path reads in one direction. Every call comes on
 * {@link #eventLoop()}. Messages passed in are owned by the downstream from then on.
 */
public interface Downstream {
    /** The loop the client is served on; the exchange's timers and upstream connections use it too. */
    EventLoop eventLoop();

    ByteBufAllocator alloc();

    /** A response timer the downstream's exchanges use one after another: one task, not one per request. */
    Deadline responseDeadline();

    /** Whether a read of client data is in progress, whose end is followed by {@code ProxyExchange#flushUpstream}. */
    boolean inReadBatch();

    /** The exchange wants request body parts again (it asks {@code wantsRequestBody} for each). */
    void resumeReading();

    /** Whether interim (1xx) responses reach this client: not an HTTP/1.0 one, which knows none. */
    boolean takesInterimResponses();

    /** Sends a 1xx at once; a {@code 100 Continue} also starts timing the client's body. */
    void sendInterim(FullHttpResponse interim);

    /**
     * Sends the head of the response the exchange committed to, decorated with the gateway's response headers and
     * framed for this client; not flushed. {@code requestComplete}: whether the whole request body was read, so
     * that the client side can tell whether it may serve another request after this one.
     */
    void sendResponseHead(HttpResponse head, boolean headRequest, boolean requestComplete);

    /** Sends a body part that is not the last; not flushed. */
    void sendResponsePart(HttpContent part);

    void flushResponse();

    /** Whether the client takes more now; {@code ProxyExchange#onClientWritabilityChanged} tells when it does. */
    boolean isWritable();

    /** Sends the last part and flushes; once it is written the downstream ends the request. */
    void sendResponseEnd(LastHttpContent last);

    /** Answers with the gateway's own error, instead of a response from the backend (nothing of one was sent). */
    void refuse(Rejection rejection);

    /** The response was cut off after its head went out: the client must see an abort, not a clean end. */
    void abort();

    /**
     * A WebSocket upgrade request went to the backend: nothing the client sends is HTTP any more, so it is not read
     * until the backend answers, and the connection closes after any answer but a 101. Only an HTTP/1.1 connection
     * is ever asked (HTTP/2 has no Upgrade).
     */
    void awaitUpgradeAnswer();

    /** The backend accepted the upgrade with {@code switched}: the connection leaves HTTP for a tunnel. */
    void openTunnel(HttpResponse switched, UpstreamConnection upstream, Route route, RouteMeters meters,
                    RequestContext request);
}
