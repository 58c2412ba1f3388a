package io.gatehouse.proxy.downstream;

import io.gatehouse.context.Rejection;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The gateway's answers when the client is too slow with a request. Each closes the connection (the rest is not
 * coming in time), and none is a verdict on the backend or the route.
 */
final class ClientRejections {
    /** {@code server.timeouts.request_body}: the client stopped sending its body. */
    static final Rejection BODY_TIMEOUT = Rejection.closing(HttpResponseStatus.REQUEST_TIMEOUT,
            "client_body_timeout", "request body not received in time");

    private ClientRejections() {}
}
