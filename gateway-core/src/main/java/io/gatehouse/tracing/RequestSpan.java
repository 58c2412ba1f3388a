package io.gatehouse.tracing;

import static io.gatehouse.tracing.SemanticConventions.*;

import io.gatehouse.context.RequestContext;
import io.gatehouse.upstream.Backend;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

import java.util.concurrent.TimeUnit;

/**
 * The SERVER span of one request, from its head to the end of its response. Its times come from the request's own
 * clock readings ({@link RequestContext#startEpochMillis()}, {@link RequestContext#startNanos()}), and those of its
 * attempts are offsets from them, so the whole trace of a request is on one time base. Confined to the request's
 * event loop. An unsampled span records nothing, but still has ids to log and to propagate.
 */
public final class RequestSpan {
    private static final String UNKNOWN_METHOD_NAME = "HTTP";
    private static final String SCHEME_HTTP = "http";
    private static final String SCHEME_HTTPS = "https";

    private final GatewayTracing tracing;
    private final Span span;
    private final Context context;
    private final long startEpochNanos;
    private final long startNanos;
    private final String method;

    private RequestSpan(GatewayTracing tracing, Span span, Context context, RequestContext request, String method) {
        this.tracing = tracing;
        this.span = span;
        this.context = context;
        this.startEpochNanos = TimeUnit.MILLISECONDS.toNanos(request.startEpochMillis());
        this.startNanos = request.startNanos();
        this.method = method;
    }

    static RequestSpan start(GatewayTracing tracing, HttpRequest head, RequestContext request, boolean overTls) {
        HttpHeaders headers = head == null ? null : head.headers();
        Context parent = tracing.propagator.extract(Context.root(), headers, HeaderCarrier.INSTANCE);
        String original = head == null ? null : head.method().name();
        String method = knownMethod(original);
        boolean other = method == OTHER_METHOD;
        Span span = tracing.tracer.spanBuilder(other ? UNKNOWN_METHOD_NAME : method)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(TimeUnit.MILLISECONDS.toNanos(request.startEpochMillis()), TimeUnit.NANOSECONDS)
                .startSpan(); // attributes only once sampled: on the builder they would cost a map per request
        if (span.isRecording()) {
            span.setAttribute(HTTP_REQUEST_METHOD, method);
            span.setAttribute(URL_SCHEME, overTls ? SCHEME_HTTPS : SCHEME_HTTP);
            if (other && original != null) {
                span.setAttribute(HTTP_REQUEST_METHOD_ORIGINAL, original);
            }
            span.setAttribute(REQUEST_ID, request.requestId());
            span.setAttribute(CLIENT_ADDRESS, request.clientIp());
            span.setAttribute(NETWORK_PEER_ADDRESS, request.client().text());
        }
        SpanContext ids = span.getSpanContext();
        request.trace(ids.getTraceId(), ids.getSpanId(), ids.isSampled());
        return new RequestSpan(tracing, span, parent.with(span), request, method);
    }

    /**
     * What routing found: with {@code routeId} the span is named {@code "METHOD routeId"}. Never given a query.
     *
     * @param routeId the route matched, or null
     * @param path    the normalised path; the path as received when routing ended before normalising; or null
     * @param host    the host the client addressed, without port; or null
     */
    public void routed(String routeId, String path, String host) {
        if (!span.isRecording()) {
            return;
        }
        if (routeId != null) {
            span.updateName((method == OTHER_METHOD ? UNKNOWN_METHOD_NAME : method) + ' ' + routeId);
            span.setAttribute(HTTP_ROUTE, routeId);
        }
        if (path != null) {
            span.setAttribute(URL_PATH, path);
        }
        if (host != null) {
            span.setAttribute(SERVER_ADDRESS, host);
        }
    }

    /** The gateway answered the request itself with the error {@code reason} (a rejection's stable code). */
    public void refused(String reason) {
        if (span.isRecording()) {
            span.addEvent(REFUSED_EVENT, Attributes.of(REFUSAL_REASON, reason));
        }
    }

    /**
     * Starts the CLIENT span of an attempt on {@code backend}, a child of this span, and writes its context into
     * the upstream request's headers in place of whatever the client sent in the configured formats.
     *
     * @param resendCount attempts before this one (0 for the first)
     */
    public AttemptSpan attempt(Backend backend, int resendCount, HttpHeaders upstreamHeaders) {
        return AttemptSpan.start(this, backend, resendCount, upstreamHeaders);
    }

    /**
     * Ends the span as {@code done} finished.
     *
     * @param clientLeft the client closed its connection before any response was sent (no status to record)
     */
    public void end(RequestContext done, boolean clientLeft) {
        if (span.isRecording()) {
            int status = done.status();
            if (clientLeft) {
                span.setAttribute(ERROR_TYPE, "client_closed");
            } else {
                span.setAttribute(HTTP_RESPONSE_STATUS_CODE, status);
                if (status >= 500) {
                    span.setAttribute(ERROR_TYPE, Integer.toString(status));
                    span.setStatus(StatusCode.ERROR);
                } else if (done.aborted()) {
                    span.setAttribute(ERROR_TYPE, "aborted");
                    span.setStatus(StatusCode.ERROR);
                }
            }
        }
        span.end(startEpochNanos + done.durationNanos(), TimeUnit.NANOSECONDS);
    }

    /** Sampled: attributes and events are kept (else only the ids exist). */
    public boolean isRecording() {
        return span.isRecording();
    }

    GatewayTracing tracing() { return tracing; }
    Context context() { return context; }
    String method() { return method; }

    /** The epoch time of a {@link System#nanoTime()} reading, on this request's time base. */
    long epochNanos(long nanoTime) {
        return startEpochNanos + (nanoTime - startNanos);
    }
}
