package io.gatehouse.security;

import io.gatehouse.security.jwt.JwtAuthenticator;
import io.gatehouse.security.jwt.JwtOutcome;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetAddress;

/**
 * Requires a bearer token that verifies and records it. A token naming a signing key not seen yet waits once for
 * the JWKS to be fetched again; the request then resumes here and is refused if the key is still unknown.
 */
final class JwtStep implements AdmissionStep {
    private static final String BEARER = "Bearer ";

    private final JwtAuthenticator jwt;
    private final SecurityRejections rejections;

    JwtStep(JwtAuthenticator jwt, SecurityRejections rejections) {
        this.jwt = jwt;
        this.rejections = rejections;
    }

    @Override
    public Admission check(HttpHeaders headers, InetAddress client, String rawQuery, AdmissionProgress progress) {
        String bearer = bearerToken(headers);
        if (bearer == null) {
            return rejections.missing(rejections.missingToken);
        }
        JwtOutcome outcome = jwt.verify(bearer);
        if (outcome instanceof JwtOutcome.Verified verified) {
            progress.token(verified);
            return null;
        }
        if (outcome instanceof JwtOutcome.Pending pending) {
            if (progress.areKeysRefreshed()) {
                return rejections.invalidToken("unknown signing key");
            }
            progress.keysRefreshed(); // the next run comes after the fetch: waiting twice would loop
            return new Admission.Waiting(pending.keysRefreshed());
        }
        return rejections.invalidToken(((JwtOutcome.Rejected) outcome).message());
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
