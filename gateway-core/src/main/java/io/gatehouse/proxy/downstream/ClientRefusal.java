package io.gatehouse.proxy.downstream;

import io.gatehouse.context.Rejection;

import static java.util.Objects.requireNonNull;

/**
 * A pipeline event by which a handler ahead of the HTTP codec, which sees bytes rather than requests, asks
 * {@link ClientConnectionHandler} to refuse the request in progress (or the one whose head is still arriving) and
 * close the connection. The refusal thus takes the one path every refusal takes, with its request ID, security
 * headers, metrics and access-log line.
 */
record ClientRefusal(Rejection rejection) {
    ClientRefusal {
        requireNonNull(rejection, "rejection");
    }
}
