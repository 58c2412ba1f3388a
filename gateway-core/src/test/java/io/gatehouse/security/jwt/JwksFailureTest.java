package io.gatehouse.security.jwt;

import ch.qos.logback.classic.Level;
import io.gatehouse.security.jwt.JwtOutcome.Pending;
import io.gatehouse.security.jwt.JwtOutcome.Rejected;
import io.gatehouse.security.jwt.JwtOutcome.Verified;
import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.StartedMockWebServer;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.gatehouse.security.jwt.JwksFixtures.K1_JWKS;
import static io.gatehouse.security.jwt.JwksFixtures.K1_TOKEN;
import static io.gatehouse.security.jwt.JwksFixtures.K2_TOKEN;
import static io.gatehouse.security.jwt.JwksFixtures.WAIT;
import static io.gatehouse.security.jwt.JwksFixtures.ok;
import static io.gatehouse.security.jwt.JwksFixtures.paddedTo;
import static io.gatehouse.security.jwt.JwksFixtures.settle;
import static io.gatehouse.security.jwt.JwtConfigBuilder.jwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An IdP that is down or answers nonsense costs no cached key, and each failure streak is logged once. */
class JwksFailureTest {
    @RegisterExtension
    final Authenticators authenticators = new Authenticators();
    @RegisterExtension
    final StartedMockWebServer jwks = new StartedMockWebServer();
    private final MockWebServer server = jwks.server();

    @Test
    void cachedKeysKeepWorkingWhileTheIdpIsDown() {
        server.enqueue(ok(K1_JWKS));
        JwtAuthenticator authenticator = authenticator(jwt().jwksMinRefresh(Duration.ofHours(1)));
        authenticator.start();
        assertThat(settle(authenticator, K1_TOKEN)).isInstanceOf(Verified.class);

        server.close();

        authenticators.advance(Duration.ofHours(1));
        JwtOutcome waiting = authenticator.verify(K2_TOKEN);
        assertThat(waiting).isInstanceOf(Pending.class);
        CompletableFuture<?> refresh = ((Pending) waiting).keysRefreshed();
        await().atMost(Duration.ofSeconds(10)).until(refresh::isDone);
        assertThat(refresh).isCompletedExceptionally();
        assertThat(authenticator.verify(K2_TOKEN)).isEqualTo(new Rejected("unknown signing key"));
        assertThat(authenticator.verify(K1_TOKEN)).isInstanceOf(Verified.class);
    }

    @Test
    void serverErrorsKeepTheCachedKeysAndWarnOncePerFailureStreak() {
        AtomicBoolean up = new AtomicBoolean(true);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return up.get() ? ok(K1_JWKS) : new MockResponse.Builder().code(500).body("{\"keys\":[]}").build();
            }
        });
        try (CapturedLogs logs = CapturedLogs.of(JwksCache.class)) {
            JwtAuthenticator authenticator = authenticator(jwt().jwksRefresh(Duration.ofMillis(100)));
            authenticator.start();
            assertThat(settle(authenticator, K1_TOKEN)).isInstanceOf(Verified.class);

            up.set(false);
            int before = server.getRequestCount();
            await().atMost(WAIT).until(() -> server.getRequestCount() >= before + 4);
            assertThat(logs.messages(Level.WARN)).hasSize(1).first().asString().contains("answered 500");
            assertThat(authenticator.verify(K1_TOKEN)).isInstanceOf(Verified.class);

            up.set(true);
            await().atMost(WAIT).until(() -> logs.messages(Level.INFO).stream().anyMatch(m -> m.contains("works again")));
            up.set(false);
            await().atMost(WAIT).until(() -> logs.messages(Level.WARN).size() == 2);
            assertThat(authenticator.verify(K1_TOKEN)).isInstanceOf(Verified.class);
        }
    }

    @Test
    void bodyOverOneMebibyteIsAFailedFetch() {
        server.enqueue(ok(paddedTo(K1_JWKS, JwksClient.MAX_BODY_BYTES + 1)));
        server.enqueue(ok(paddedTo(K1_JWKS, JwksClient.MAX_BODY_BYTES)));
        JwtAuthenticator authenticator = authenticator(jwt().jwksMinRefresh(Duration.ZERO));

        CompletableFuture<?> refresh = ((Pending) authenticator.verify(K1_TOKEN)).keysRefreshed();
        await().atMost(WAIT).until(refresh::isDone);

        assertThat(refresh).isCompletedExceptionally();
        assertThat(settle(authenticator, K1_TOKEN)).isInstanceOf(Verified.class);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void documentsThatAreNotAUsableJwksAreFailedFetches() {
        server.enqueue(ok(K1_JWKS));
        server.enqueue(ok("<html>login</html>"));
        server.enqueue(ok("{\"keys\":[]}"));
        server.enqueue(ok(Jwks.set("{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"}")));
        JwtAuthenticator authenticator = authenticator(jwt().jwksMinRefresh(Duration.ZERO));
        assertThat(settle(authenticator, K1_TOKEN)).isInstanceOf(Verified.class);

        for (int attempt = 0; attempt < 3; attempt++) {
            CompletableFuture<?> refresh = ((Pending) authenticator.verify(K2_TOKEN)).keysRefreshed();
            await().atMost(WAIT).until(refresh::isDone);
            assertThat(refresh).isCompletedExceptionally();
            assertThat(authenticator.verify(K1_TOKEN)).isInstanceOf(Verified.class);
        }
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    private JwtAuthenticator authenticator(JwtConfigBuilder config) {
        return authenticators.create(config.jwksUrl(server.url("/certs").uri()));
    }
}
