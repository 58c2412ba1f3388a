package io.gatehouse.security.jwt;

import mockwebserver3.MockResponse;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Shared by the JWKS tests: documents, tokens naming their keys, responses and waiting for a fetch. */
final class JwksFixtures {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final String K1_JWKS = Jwks.set(Jwks.rsa("k1", TestKeys.RSA.getPublic()));
    static final String K1_K2_JWKS = Jwks.set(Jwks.rsa("k1", TestKeys.RSA.getPublic()),
            Jwks.rsa("k2", TestKeys.RSA_OTHER.getPublic()));
    static final String K1_TOKEN = Tokens.rs256(claims -> claims.withKeyId("k1"));
    static final String K2_TOKEN = Tokens.claims().withKeyId("k2").sign(Tokens.signer("RS256", TestKeys.RSA_OTHER));
    static final String K3_TOKEN = Tokens.rs256(claims -> claims.withKeyId("k3"));

    private JwksFixtures() {
    }

    static MockResponse ok(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    /** {@code jwks} with a padding member that makes it exactly {@code length} bytes long. */
    static String paddedTo(String jwks, int length) {
        String open = jwks.substring(0, jwks.length() - 1) + ",\"padding\":\"";
        String padded = open + "x".repeat(length - open.length() - 2) + "\"}";
        assertThat(padded).hasSize(length);
        return padded;
    }

    /** Verifies, and if told to wait for a JWKS fetch, waits and verifies again. */
    static JwtOutcome settle(JwtAuthenticator authenticator, String token) {
        JwtOutcome outcome = authenticator.verify(token);
        if (outcome instanceof JwtOutcome.Pending pending) {
            await().atMost(WAIT).until(pending.keysRefreshed()::isDone);
            outcome = authenticator.verify(token);
        }
        return outcome;
    }
}
