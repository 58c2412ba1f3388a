package io.gatehouse.proxy.exchange;

import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.log.LogThrottle;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.upstream.tls.TlsFailure;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Each kind of upstream failure, told twice: the client gets a stable code and a generic message
 * ({@link UpstreamRejections}), the log gets the detail. One WARN line per failed attempt, e.g.
 * {@code cannot connect to backend 10.0.0.7:8080: ConnectException: Connection refused (request_id 5f..., route
 * users)}, so that an operator finds it by the request ID the client was given. A dead backend fails every request,
 * so the lines are throttled ({@link #LINES_PER_SECOND} a second across the gateway; the next line says how many
 * were held back). A failed TLS connection is told as such ({@code upstream_tls_failed}, the check that failed in
 * the log) and counted by reason. One instance per gateway, shared by its event loops.
 */
public final class UpstreamFailures {
    static final int LINES_PER_SECOND = 20;
    private static final Logger log = LoggerFactory.getLogger(UpstreamFailures.class);

    private final LogThrottle throttle;
    private final Map<TlsFailure, Counter> tlsFailures = new EnumMap<>(TlsFailure.class);

    public UpstreamFailures(LongSupplier nanoClock, GatewayMetrics metrics) {
        this.throttle = new LogThrottle(LINES_PER_SECOND, nanoClock);
        for (TlsFailure failure : TlsFailure.values()) {
            tlsFailures.put(failure, metrics.upstreamTlsFailures(failure.label()));
        }
    }

    /** Connecting failed, the TLS handshake included. */
    Rejection connectFailed(RequestContext request, Throwable cause) {
        TlsFailure tls = TlsFailure.classify(cause);
        if (tls != null) {
            return tlsFailed(request, tls, cause);
        }
        warn(request, "cannot connect to backend", describe(cause));
        return UpstreamRejections.CONNECT_FAILED;
    }

    /**
     * The connection ended before a response head. Over TLS 1.3 this is also how a backend that wants a client
     * certificate answers: the client's side of the handshake is complete before the backend judges its certificate.
     * Only such a known refusal counts as a TLS failure here; an engine error after the handshake (a write after the
     * backend's close_notify, say) is a connection lost like any other.
     */
    Rejection closedBeforeResponse(RequestContext request, Throwable cause) {
        TlsFailure tls = cause == null ? null : TlsFailure.classify(cause);
        if (tls == TlsFailure.CLIENT_CERTIFICATE_REJECTED) {
            return tlsFailed(request, tls, cause);
        }
        warn(request, "connection lost before a response from backend",
                cause == null ? "closed by the backend" : describe(cause));
        return UpstreamRejections.CLOSED_BEFORE_RESPONSE;
    }

    Rejection invalidResponse(RequestContext request, Throwable cause) {
        warn(request, "invalid response from backend", describe(cause));
        return UpstreamRejections.INVALID_RESPONSE;
    }

    /** A {@code 101 Switching Protocols} the request did not ask for: the backend left HTTP on the connection. */
    Rejection switchedProtocols(RequestContext request) {
        warn(request, "invalid response from backend", "101 Switching Protocols, but the request asked for no upgrade");
        return UpstreamRejections.INVALID_RESPONSE;
    }

    Rejection responseTimedOut(RequestContext request, long millis) {
        warn(request, "no response head within response_timeout from backend", millis + " ms");
        return UpstreamRejections.RESPONSE_TIMED_OUT;
    }

    Rejection requestTimedOut(RequestContext request, long millis) {
        warn(request, "request_timeout expired; last backend tried", millis + " ms");
        return UpstreamRejections.REQUEST_TIMED_OUT;
    }

    /** The gateway's own connection limit to the backend is reached (max_connections, max_pending_acquires). */
    Rejection poolBusy(RequestContext request, Throwable cause) {
        warn(request, "no free connection to backend", cause.getMessage());
        return UpstreamRejections.POOL_BUSY;
    }

    /**
     * The backend broke off a response under way ({@code how}; {@code cause} may be null). The answer is used only
     * when no byte of the response has reached the client yet; otherwise the client sees the cut.
     */
    Rejection brokenOff(RequestContext request, String how, Throwable cause) {
        warn(request, "response broken off by backend", cause == null ? how : how + ": " + describe(cause));
        return UpstreamRejections.INVALID_RESPONSE;
    }

    private Rejection tlsFailed(RequestContext request, TlsFailure failure, Throwable cause) {
        tlsFailures.get(failure).increment();
        warn(request, "TLS connection failed to backend", failure.label() + ": " + failure.description() + " ("
                + describeRoot(cause) + ")");
        return UpstreamRejections.TLS_FAILED;
    }

    /** The innermost cause's text: what the TLS engine or trust manager said, e.g. which name did not match. */
    private static String describeRoot(Throwable cause) {
        Throwable root = cause;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 10; depth++) {
            root = root.getCause();
        }
        return describe(root);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        String type = cause.getClass().getSimpleName();
        return message == null ? type : type + ": " + message;
    }

    private void warn(RequestContext request, String what, String detail) {
        long suppressed = throttle.tryPass();
        if (suppressed < 0) {
            return;
        }
        log.warn("{} {}: {} (request_id {}, route {}){}", what, request.backend(), detail, request.requestId(),
                request.routeId(), suppressed == 0 ? "" : " (" + suppressed + " similar lines suppressed before)");
    }
}
