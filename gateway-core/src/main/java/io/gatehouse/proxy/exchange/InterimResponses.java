package io.gatehouse.proxy.exchange;

import io.gatehouse.proxy.ForwardedHeaders;
import io.gatehouse.proxy.HopByHopHeaders;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * The interim (1xx) responses of one request on their way to the client (RFC 9110 §15.2). A proxy forwards the
 * ones a backend sends on its own, such as {@code 103 Early Hints}, to HTTP/1.1 clients, each flushed at once and
 * always before the final response; HTTP/1.0 clients, which know no 1xx, get none. Hop-by-hop headers are
 * stripped and {@code Via} added; the gateway's decoration of final responses (request ID, security headers) is
 * left to the final response.
 *
 * <p>{@code 100 Continue}: the client receives at most one per request. The gateway answers a client's
 * {@code Expect: 100-continue} itself when the first attempt is connected, and does not forward {@code Expect}; a
 * {@code 100} from a backend after that, or from a retried attempt after an earlier one was forwarded, is dropped.
 *
 * <p>{@code 101 Switching Protocols} never comes here to be forwarded: the one a WebSocket upgrade asked for is taken
 * by {@link ProxyExchange} first ({@code WebSocketSwitch}); the gateway strips {@code Upgrade} from every other
 * request, so any other 101 answers a question nobody asked, and the backend has left HTTP on that connection.
 */
final class InterimResponses {
    private final Downstream client;
    private boolean continueSent;
    /** Between a 1xx head and the empty end the decoder gives every 1xx. */
    private boolean inInterim;

    InterimResponses(Downstream client) {
        this.client = client;
    }

    /** Answers the client's {@code Expect: 100-continue}, unless a 100 already went to the client. */
    void sendContinue() {
        if (!continueSent) {
            continueSent = true;
            client.sendInterim(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    /**
     * Forwards or drops a backend's 1xx head, which this then owns; {@link #swallowsEnd} takes the empty end that
     * follows it.
     *
     * @return false for a {@code 101}: a protocol error of the backend, which fails the attempt
     */
    boolean relay(HttpResponse interim) {
        ReferenceCountUtil.release(interim); // a decoded head holds no buffer; its headers are all that is used
        inInterim = true;
        int code = interim.status().code();
        if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            return false;
        }
        if (!client.takesInterimResponses() || code == HttpResponseStatus.CONTINUE.code() && continueSent) {
            return true;
        }
        if (code == HttpResponseStatus.CONTINUE.code()) {
            continueSent = true;
        }
        HopByHopHeaders.strip(interim.headers());
        ForwardedHeaders.appendVia(interim.headers());
        client.sendInterim(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, interim.status(),
                Unpooled.EMPTY_BUFFER, interim.headers(), EmptyHttpHeaders.INSTANCE));
        return true;
    }

    /** Whether {@code content} is the end of an interim response (then released here) rather than a final body's. */
    boolean swallowsEnd(HttpContent content) {
        if (!inInterim) {
            return false;
        }
        inInterim = false;
        content.release();
        return true;
    }
}
