package io.gatehouse.log;

import io.gatehouse.context.RequestContext;

/**
 * Where each finished request goes to be logged: {@link AccessLog#record} (the JSON lines on stdout) in a running
 * gateway; tests add a sink of their own to read the lines back.
 */
@FunctionalInterface
public interface AccessLogSink {
    /** Takes a finished request; the context must not change afterwards. Called on an event loop: never blocks. */
    void record(RequestContext finished);
}
