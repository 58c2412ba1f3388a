package io.gatehouse.log;

import io.gatehouse.context.RequestContext;

/**
 * Where each finished request goes to be logged: the gateway's own {@link AccessLog} in a running gateway; handler
 * tests that run no gateway may give a sink of their own.
 */
@FunctionalInterface
public interface AccessLogSink {
    /** Takes a finished request; the context must not change afterwards. Called on an event loop: never blocks. */
    void record(RequestContext finished);
}
