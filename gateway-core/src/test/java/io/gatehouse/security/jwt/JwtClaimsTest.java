package io.gatehouse.security.jwt;

import com.auth0.jwt.JWT;
import io.gatehouse.security.jwt.JwtOutcome.Rejected;
import io.gatehouse.security.jwt.JwtOutcome.Verified;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.gatehouse.security.jwt.JwtConfigBuilder.jwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Time, issuer and audience checks, and what a verified token yields: subject, roles and forwarded claims. */
class JwtClaimsTest {
    @RegisterExtension
    final Authenticators authenticators = new Authenticators();

    private final Instant now = Instant.now();

    @Test
    void expiredToken() {
        JwtAuthenticator authenticator = rsa(jwt());

        assertThat(authenticator.verify(Tokens.rs256(c -> c.withExpiresAt(now.minusSeconds(10)))))
                .isEqualTo(new Rejected("token expired"));
    }

    @Test
    void leewayLetsARecentlyExpiredTokenPass() {
        JwtAuthenticator lenient = rsa(jwt().leeway(Duration.ofSeconds(30)));
        String expired10sAgo = Tokens.rs256(c -> c.withExpiresAt(now.minusSeconds(10)));
        String expired60sAgo = Tokens.rs256(c -> c.withExpiresAt(now.minusSeconds(60)));

        assertThat(lenient.verify(expired10sAgo)).isInstanceOf(Verified.class);
        assertThat(lenient.verify(expired60sAgo)).isEqualTo(new Rejected("token expired"));
    }

    @Test
    void notBeforeInTheFuture() {
        JwtAuthenticator strict = rsa(jwt());
        JwtAuthenticator lenient = rsa(jwt().leeway(Duration.ofSeconds(30)));
        String notYet = Tokens.rs256(c -> c.withNotBefore(now.plusSeconds(10)));

        assertThat(strict.verify(notYet)).isEqualTo(new Rejected("token not yet valid"));
        assertThat(lenient.verify(notYet)).isInstanceOf(Verified.class);
        assertThat(lenient.verify(Tokens.rs256(c -> c.withNotBefore(now.plusSeconds(60)))))
                .isEqualTo(new Rejected("token not yet valid"));
    }

    @Test
    void issuedInTheFuture() {
        assertThat(rsa(jwt()).verify(Tokens.rs256(c -> c.withIssuedAt(now.plusSeconds(60)))))
                .isEqualTo(new Rejected("token issued in the future"));
        assertThat(rsa(jwt()).verify(Tokens.rs256(c -> c.withIssuedAt(now.minusSeconds(60)))))
                .isInstanceOf(Verified.class);
    }

    @Test
    void missingExpiryIsRejectedOnlyWhenRequired() {
        String noExpiry = JWT.create().withSubject("alice").sign(Tokens.signer("RS256", TestKeys.RSA));

        assertThat(rsa(jwt().requireExpiration()).verify(noExpiry)).isEqualTo(new Rejected("token has no expiry"));
        assertThat(rsa(jwt()).verify(noExpiry)).isInstanceOf(Verified.class);
    }

    @Test
    void issuerMustMatchWhenConfigured() {
        JwtAuthenticator authenticator = rsa(jwt().issuer("https://idp.example.com/"));

        assertThat(authenticator.verify(Tokens.rs256(c -> c.withIssuer("https://idp.example.com/"))))
                .isInstanceOf(Verified.class);
        assertThat(authenticator.verify(Tokens.rs256(c -> c.withIssuer("https://evil.example.com/"))))
                .isEqualTo(new Rejected("wrong issuer"));
        assertThat(authenticator.verify(Tokens.rs256(c -> c))).isEqualTo(new Rejected("wrong issuer"));
        assertThat(rsa(jwt()).verify(Tokens.rs256(c -> c.withIssuer("anyone")))).isInstanceOf(Verified.class);
    }

    @Test
    void audienceAsStringOrArrayMustIntersectTheConfiguredOnes() {
        JwtAuthenticator authenticator = rsa(jwt().audiences("orders-api", "billing-api"));

        assertThat(authenticator.verify(Tokens.rs256(c -> c.withAudience("billing-api")))).isInstanceOf(Verified.class);
        assertThat(authenticator.verify(Tokens.rs256(c -> c.withClaim("aud", "orders-api")))).isInstanceOf(Verified.class);
        assertThat(authenticator.verify(Tokens.rs256(c -> c.withAudience("web", "orders-api"))))
                .isInstanceOf(Verified.class);
        assertThat(authenticator.verify(Tokens.rs256(c -> c.withAudience("web", "mobile"))))
                .isEqualTo(new Rejected("wrong audience"));
        assertThat(authenticator.verify(Tokens.rs256(c -> c.withAudience("web")))).isEqualTo(new Rejected("wrong audience"));
        assertThat(authenticator.verify(Tokens.rs256(c -> c))).isEqualTo(new Rejected("wrong audience"));
    }

    @Test
    void rolesFromANestedArray() {
        JwtAuthenticator authenticator = rsa(jwt().rolesClaim("realm_access.roles"));
        String token = Tokens.rs256(c -> c.withClaim("realm_access",
                Map.of("roles", List.of("admin", "user", 7), "other", "x")));

        assertThat(roles(authenticator.verify(token))).containsExactly("admin", "user");
        assertThat(roles(authenticator.verify(Tokens.rs256(c -> c.withClaim("realm_access", Map.of("x", 1))))))
                .isEmpty();
        assertThat(roles(authenticator.verify(Tokens.rs256(c -> c.withClaim("realm_access", "flat"))))).isEmpty();
    }

    @Test
    void rolesFromASpaceSeparatedString() {
        JwtAuthenticator authenticator = rsa(jwt().rolesClaim("scope"));

        assertThat(roles(authenticator.verify(Tokens.rs256(c -> c.withClaim("scope", " read  write\tadmin ")))))
                .containsExactly("read", "write", "admin");
        assertThat(roles(authenticator.verify(Tokens.rs256(c -> c)))).isEmpty();
    }

    @Test
    void rolesClaimWhoseNameContainsDots() {
        JwtAuthenticator authenticator = rsa(jwt().rolesClaim("https://example.com/roles"));

        assertThat(roles(authenticator.verify(Tokens.rs256(c -> c.withClaim("https://example.com/roles",
                List.of("editor")))))).containsExactly("editor");
    }

    @Test
    void noRolesClaimConfigured() {
        assertThat(roles(rsa(jwt()).verify(Tokens.rs256(c -> c.withClaim("roles", List.of("admin")))))).isEmpty();
    }

    @Test
    void forwardedClaimsInConfigOrderWithUnsafeValuesDropped() {
        JwtAuthenticator authenticator = rsa(jwt()
                .forward("sub", "X-User")
                .forward("missing", "X-Missing")
                .forward("injected", "X-Injected")
                .forward("groups", "X-Groups")
                .forward("realm_access.level", "X-Level")
                .forward("admin", "X-Admin")
                .forward("too_long", "X-Too-Long")
                .forward("max_length", "X-Max-Length")
                .forward("object", "X-Object")
                .forward("nested_array", "X-Nested-Array")
                .forward("email", "X-Email"));
        String token = Tokens.rs256(c -> c
                .withClaim("email", "alice@example.com")
                .withClaim("injected", "alice\r\nX-Admin: true")
                .withClaim("groups", List.of("ops", "dev"))
                .withClaim("realm_access", Map.of("level", 3))
                .withClaim("admin", false)
                .withClaim("too_long", "x".repeat(ClaimHeaders.MAX_VALUE_CHARS + 1))
                .withClaim("max_length", "y".repeat(ClaimHeaders.MAX_VALUE_CHARS))
                .withClaim("object", Map.of("a", "b"))
                .withClaim("nested_array", List.of(List.of("a"))));

        Verified verified = (Verified) authenticator.verify(token);

        assertThat(verified.headers()).containsExactly(
                Map.entry("X-User", "alice"),
                Map.entry("X-Groups", "ops,dev"),
                Map.entry("X-Level", "3"),
                Map.entry("X-Admin", "false"),
                Map.entry("X-Max-Length", "y".repeat(ClaimHeaders.MAX_VALUE_CHARS)),
                Map.entry("X-Email", "alice@example.com"));
    }

    @Test
    void controlCharactersAnywhereMakeAValueUnsafe() {
        for (String unsafe : List.of("a\rb", "a\nb", "a\u0000b", "a\tb", "a\u007fb", "a\u0085b", "\u001b[31m")) {
            assertThat(ClaimHeaders.isSafe(unsafe)).as("%s", unsafe.chars().boxed().toList()).isFalse();
        }
        assertThat(ClaimHeaders.isSafe("Ålice Ünïcode, \"quoted\"; x=1")).isTrue();
        assertThat(ClaimHeaders.text(List.of("a", 1, true, 2.5))).isEqualTo("a,1,true,2.5");
        assertThat(ClaimHeaders.text(Map.of())).isNull();
    }

    @Test
    void subjectMayBeAbsent() {
        String noSubject = JWT.create().withExpiresAt(now.plusSeconds(60))
                .sign(Tokens.signer("RS256", TestKeys.RSA));

        assertThat(rsa(jwt()).verify(noSubject)).isEqualTo(new Verified(null, List.of(), List.of()));
    }

    @Test
    void aVerifiedTokenIsRememberedButNeverPastItsExpiry() {
        JwtAuthenticator strict = rsa(jwt().leeway(Duration.ZERO));
        String token = Tokens.rs256(c -> c.withExpiresAt(Instant.now().plusSeconds(2)));

        JwtOutcome first = strict.verify(token);
        assertThat(strict.verify(token)).as("the remembered outcome").isSameAs(first).isInstanceOf(Verified.class);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> strict.verify(token).equals(new Rejected("token expired")));
    }

    @Test
    void aTamperedCopyOfARememberedTokenIsStillRefused() {
        JwtAuthenticator authenticator = rsa(jwt());
        String token = Tokens.rs256(c -> c);
        assertThat(authenticator.verify(token)).isInstanceOf(Verified.class);

        String forged = Tokens.withPayload(token, "{\"sub\":\"mallory\",\"exp\":" + (now.getEpochSecond() + 600) + "}");

        assertThat(authenticator.verify(forged)).isEqualTo(new Rejected("bad signature"));
    }

    private JwtAuthenticator rsa(JwtConfigBuilder config) {
        return authenticators.create(config.publicKey(TestKeys.RSA.getPublic()));
    }

    private static List<String> roles(JwtOutcome outcome) {
        assertThat(outcome).isInstanceOf(Verified.class);
        return ((Verified) outcome).roles();
    }
}
