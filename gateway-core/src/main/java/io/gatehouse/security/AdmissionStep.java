package io.gatehouse.security;

import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetAddress;

/**
 * One check of a route's admission chain (IP rules, API key, JWT, roles, a group of rate limits, the bulkhead),
 * compiled once per route and shared by every request on every event loop, so it keeps no per-request state: what
 * later steps need (the consumer, the verified token, the tightest rate-limit position) and where a step that
 * waited stands go in the request's {@link AdmissionProgress}.
 */
interface AdmissionStep {
    /**
     * Checks one request.
     *
     * @param rawQuery the query string as received, or null
     * @return null when the request passes on to the next step; a {@link Admission.Refused}; or a
     *         {@link Admission.Waiting}, after which the chain runs again from this same step
     */
    Admission check(HttpHeaders headers, InetAddress client, String rawQuery, AdmissionProgress progress);
}
