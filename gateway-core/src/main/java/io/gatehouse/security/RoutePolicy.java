package io.gatehouse.security;

import io.gatehouse.config.IpRules;
import io.gatehouse.context.Rejection;
import io.gatehouse.security.jwt.JwtAuthenticator;
import io.gatehouse.security.jwt.JwtOutcome;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One route's security chain, compiled once: rate limits keyed before authentication, IP rules (global, then
 * the route's), API key, JWT, roles, rate limits keyed by the consumer, then the route's bulkhead, in that order. CORS preflights are answered before this runs; 100-continue and proxying come after it.
 */
public final class RoutePolicy {
    private static final String BEARER = "Bearer ";

    private final CorsPolicy cors;
    private final IpRules globalIpRules;
    private final IpRules routeIpRules;
    private final ApiKeyAuthenticator apiKeys;
    private final JwtAuthenticator jwt;
    private final Set<String> roles;
    private final Rejection missingRole;
    private final SecurityRejections rejections;
    private final RouteRateLimits rateLimits;
    private final RouteBulkhead bulkhead;
    private final Admission admittedAnonymously = new Admission.Admitted(Principal.ANONYMOUS);

    /**
     * @param cors    null when CORS is off for the route
     * @param apiKeys null unless the route requires an API key
     * @param jwt     null unless the route requires a token
     */
    RoutePolicy(CorsPolicy cors, IpRules globalIpRules, IpRules routeIpRules, ApiKeyAuthenticator apiKeys,
                JwtAuthenticator jwt, List<String> roles, SecurityRejections rejections, RouteRateLimits rateLimits,
                RouteBulkhead bulkhead) {
        this.cors = cors;
        this.globalIpRules = globalIpRules;
        this.routeIpRules = routeIpRules;
        this.apiKeys = apiKeys;
        this.jwt = jwt;
        this.roles = Set.copyOf(roles);
        this.missingRole = roles.isEmpty() ? null : SecurityRejections.missingRoleRejection(roles, jwt != null);
        this.rejections = rejections;
        this.rateLimits = rateLimits;
        this.bulkhead = bulkhead;
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
        if (!permits(client)) {
            return rejections.ipDenied();
        }
        String refusal = cors.preflight(request, response);
        return refusal == null ? null : rejections.corsDenied(refusal);
    }

    /**
     * Runs the chain on a request head.
     *
     * @param client        the real client address (the socket peer, or from a trusted proxy's X-Forwarded-For)
     * @param rawQuery      the query string as received, or null
     * @param progress      where an earlier run of the chain for this request stopped (reset for a new request)
     */
    public Admission admit(HttpHeaders headers, InetAddress client, String rawQuery, AdmissionProgress progress) {
        if (rateLimits.hasBeforeAuth()) {
            Admission limited = rateLimited(RouteRateLimits.BEFORE_AUTH, headers, client, null, progress);
            if (limited != null) {
                return limited;
            }
        }
        if (!permits(client)) {
            return new Admission.Refused(rejections.ipDenied());
        }
        Consumer consumer = null;
        if (apiKeys != null) {
            String key = apiKeys.presentedKey(headers, rawQuery);
            if (key == null) {
                return rejections.missing(rejections.missingApiKey);
            }
            consumer = apiKeys.find(key);
            if (consumer == null) {
                return rejections.invalidApiKey();
            }
        }
        JwtOutcome.Verified token = null;
        if (jwt != null) {
            String bearer = bearerToken(headers);
            if (bearer == null) {
                return rejections.missing(rejections.missingToken);
            }
            JwtOutcome outcome = jwt.verify(bearer);
            if (outcome instanceof JwtOutcome.Pending pending) {
                if (progress.areKeysRefreshed()) {
                    return rejections.invalidToken("unknown signing key");
                }
                progress.keysRefreshed(); // the next run comes after the fetch: waiting twice would loop
                return new Admission.Waiting(pending.keysRefreshed());
            }
            if (outcome instanceof JwtOutcome.Rejected rejected) {
                return rejections.invalidToken(rejected.message());
            }
            token = (JwtOutcome.Verified) outcome;
        }
        if (!roles.isEmpty() && !holdsRole(consumer, token)) {
            return rejections.missingRole(missingRole);
        }
        if (rateLimits.hasAfterAuth()) {
            String who = consumer != null ? consumer.id() : token != null ? token.subject() : null;
            Admission limited = rateLimited(RouteRateLimits.AFTER_AUTH, headers, client, who, progress);
            if (limited != null) {
                return limited;
            }
        }
        if (bulkhead != null) { // last: nothing after it may refuse the request and keep its place
            Rejection full = bulkhead.tryEnter();
            if (full != null) {
                return new Admission.Refused(full);
            }
        }
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

    /** Null when the group admits the request; else the refusal, or the wait for a remote bucket. */
    private Admission rateLimited(int group, HttpHeaders headers, InetAddress client, String consumer,
                                  AdmissionProgress progress) {
        Object checked = rateLimits.check(group, headers, client, consumer, progress);
        if (checked instanceof Rejection refused) {
            return new Admission.Refused(refused);
        }
        if (checked instanceof java.util.concurrent.CompletableFuture<?> answer) {
            return new Admission.Waiting(answer);
        }
        return null;
    }

    private boolean permits(InetAddress client) {
        return globalIpRules.permits(client) && routeIpRules.permits(client);
    }

    private boolean holdsRole(Consumer consumer, JwtOutcome.Verified token) {
        return (consumer != null && anyRole(consumer.roles())) || (token != null && anyRole(token.roles()));
    }

    private boolean anyRole(List<String> held) {
        for (int i = 0; i < held.size(); i++) {
            if (roles.contains(held.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static Principal withToken(Consumer consumer, JwtOutcome.Verified token) {
        if (consumer == null) {
            return new Principal(null, token.subject(), token.headers());
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(consumer.admitted().principal().upstreamHeaders());
        headers.addAll(token.headers());
        return new Principal(consumer.id(), token.subject(), headers);
    }

    /** The token of {@code Authorization: Bearer <token>} (scheme case-insensitive), or null. */
    private static String bearerToken(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (value == null || value.length() <= BEARER.length()
                || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return value.substring(BEARER.length()).trim();
    }
}
