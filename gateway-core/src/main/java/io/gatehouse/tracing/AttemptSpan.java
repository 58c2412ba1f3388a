package io.gatehouse.tracing;

import static io.gatehouse.tracing.SemanticConventions.*;

import io.gatehouse.upstream.Backend;
import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The CLIENT span of one attempt at a backend: from the choice of the backend to the end of its response, or to
 * the attempt's failure. Retries are sibling spans under the same SERVER span. Confined to the request's event loop.
 */
public final class AttemptSpan {
    private final RequestSpan request;
    private final Span span;
    private int status;
    private String errorType;
    private boolean ended;

    private AttemptSpan(RequestSpan request, Span span) {
        this.request = request;
        this.span = span;
    }

    static AttemptSpan start(RequestSpan request, Backend backend, int resendCount, HttpHeaders upstreamHeaders) {
        GatewayTracing tracing = request.tracing();
        Span span = tracing.tracer.spanBuilder(request.method() == OTHER_METHOD ? "HTTP" : request.method())
                .setParent(request.context())
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(request.epochNanos(System.nanoTime()), TimeUnit.NANOSECONDS)
                .startSpan();
        if (span.isRecording()) {
            span.setAttribute(HTTP_REQUEST_METHOD, request.method());
            span.setAttribute(SERVER_ADDRESS, backend.host());
            span.setAttribute(SERVER_PORT, backend.port());
            if (resendCount > 0) {
                span.setAttribute(HTTP_REQUEST_RESEND_COUNT, resendCount);
            }
        }
        tracing.removePropagatedHeaders(upstreamHeaders);
        tracing.propagator.inject(request.context().with(span), upstreamHeaders, HeaderCarrier.INSTANCE);
        return new AttemptSpan(request, span);
    }

    /** The attempt has its connection to the backend. */
    public void connected(SocketAddress remote) {
        if (span.isRecording() && remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            span.setAttribute(NETWORK_PEER_ADDRESS, inet.getAddress().getHostAddress());
        }
    }

    /** The backend's response head arrived with {@code status}. */
    public void responded(int status) {
        this.status = status;
    }

    /**
     * The attempt failed for {@code errorType}, a short stable code such as {@code connect_failure}; the first
     * reason given is kept.
     */
    public void failed(String errorType) {
        if (this.errorType == null) {
            this.errorType = errorType;
        }
    }

    /** Ends the span, once: later calls do nothing. */
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (span.isRecording()) {
            if (status != 0) {
                span.setAttribute(HTTP_RESPONSE_STATUS_CODE, status);
            }
            String error = errorType != null ? errorType : status >= 400 ? Integer.toString(status) : null;
            if (error != null) {
                span.setAttribute(ERROR_TYPE, error);
                span.setStatus(StatusCode.ERROR);
            }
        }
        span.end(request.epochNanos(System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
