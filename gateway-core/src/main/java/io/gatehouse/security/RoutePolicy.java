package io.gatehouse.security;

import io.gatehouse.context.Rejection;
import io.gatehouse.security.jwt.JwtOutcome;
import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One route's security chain, compiled once: a list of {@link AdmissionStep}s run in order (rate limits keyed
 * before authentication, IP rules, API key, JWT, roles, rate limits keyed by the consumer, then the route's
 * bulkhead), holding only the steps the route configures. A step that waits leaves the request's
 * {@link AdmissionProgress} at that step, and the next run resumes there. CORS preflights are answered before
 * this runs; 100-continue and proxying come after it.
 */
public final class RoutePolicy {
    private final CorsPolicy cors;
    private final IpRulesStep ipRules;
    private final AdmissionStep[] steps;
    private final RouteBulkhead bulkhead;
    private final SecurityRejections rejections;
    private final Admission admittedAnonymously = new Admission.Admitted(Principal.ANONYMOUS);

    /**
     * @param cors     null when CORS is off for the route
     * @param ipRules  the route's IP rules, also for preflights; among {@code steps} only when they restrict
     * @param bulkhead null when the route has none; else the last of {@code steps}
     */
    RoutePolicy(CorsPolicy cors, IpRulesStep ipRules, List<AdmissionStep> steps, RouteBulkhead bulkhead,
                SecurityRejections rejections) {
        this.cors = cors;
        this.ipRules = ipRules;
        this.steps = steps.toArray(AdmissionStep[]::new);
        this.bulkhead = bulkhead;
        this.rejections = rejections;
    }

    /** The route's CORS policy, or null when CORS is off for it. */
    public CorsPolicy cors() {
        return cors;
    }

    /**
     * Answers a CORS preflight: fills the 204's headers and returns null, or returns the 403 (counted). A
     * client the IP rules deny is refused here too: a deny list means nothing answers it.
     */
    public Rejection preflight(HttpHeaders request, InetAddress client, HttpHeaders response) {
        if (!ipRules.permits(client)) {
            return rejections.ipDenied();
        }
        String refusal = cors.preflight(request, response);
        return refusal == null ? null : rejections.corsDenied(refusal);
    }

    /**
     * Runs the chain on a request head, from the step where an earlier run for this request waited.
     *
     * @param client   the real client address (the socket peer, or from a trusted proxy's X-Forwarded-For)
     * @param rawQuery the query string as received, or null
     * @param progress this request's way through the chain (reset for a new request)
     */
    public Admission admit(HttpHeaders headers, InetAddress client, String rawQuery, AdmissionProgress progress) {
        for (int i = progress.step(); i < steps.length; i++) {
            Admission verdict = steps[i].check(headers, client, rawQuery, progress);
            if (verdict != null) {
                return verdict;
            }
            progress.passed(i + 1);
        }
        return admitted(progress);
    }

    /** Every step passed: who the request is admitted as, its rate-limit position and its bulkhead place. */
    private Admission admitted(AdmissionProgress progress) {
        Consumer consumer = progress.consumer();
        JwtOutcome.Verified token = progress.token();
        RateLimitStatus rateLimit = progress.status();
        if (consumer != null) {
            consumer.requests().increment();
        }
        if (token != null) {
            return new Admission.Admitted(withToken(consumer, token), rateLimit, bulkhead);
        }
        if (rateLimit != null || bulkhead != null) {
            return new Admission.Admitted(consumer != null ? consumer.admitted().principal() : Principal.ANONYMOUS,
                    rateLimit, bulkhead);
        }
        return consumer != null ? consumer.admitted() : admittedAnonymously;
    }

    private static Principal withToken(Consumer consumer, JwtOutcome.Verified token) {
        if (consumer == null) {
            return new Principal(null, token.subject(), token.headers());
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(consumer.admitted().principal().upstreamHeaders());
        headers.addAll(token.headers());
        return new Principal(consumer.id(), token.subject(), headers);
    }
}
