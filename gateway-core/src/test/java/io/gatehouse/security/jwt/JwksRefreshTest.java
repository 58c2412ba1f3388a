package io.gatehouse.security.jwt;

import io.gatehouse.security.jwt.JwtOutcome.Pending;
import io.gatehouse.security.jwt.JwtOutcome.Rejected;
import io.gatehouse.security.jwt.JwtOutcome.Verified;
import io.gatehouse.testing.StartedMockWebServer;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.gatehouse.security.jwt.JwksFixtures.K1_JWKS;
import static io.gatehouse.security.jwt.JwksFixtures.K1_K2_JWKS;
import static io.gatehouse.security.jwt.JwksFixtures.K1_TOKEN;
import static io.gatehouse.security.jwt.JwksFixtures.K2_TOKEN;
import static io.gatehouse.security.jwt.JwksFixtures.K3_TOKEN;
import static io.gatehouse.security.jwt.JwksFixtures.WAIT;
import static io.gatehouse.security.jwt.JwksFixtures.ok;
import static io.gatehouse.security.jwt.JwksFixtures.settle;
import static io.gatehouse.security.jwt.JwtConfigBuilder.jwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Keys from a JWKS endpoint: the first fetch, rotation on an unknown kid, throttling and the refresh cycle. */
class JwksRefreshTest {
    @RegisterExtension
    final Authenticators authenticators = new Authenticators();
    @RegisterExtension
    final StartedMockWebServer jwks = new StartedMockWebServer();
    private final MockWebServer server = jwks.server();

    @Test
    void startFetchesTheKeysInTheBackground() throws Exception {
        server.enqueue(ok(K1_JWKS));
        JwtAuthenticator authenticator = authenticator(jwt());

        authenticator.start();

        await().atMost(WAIT).until(() -> authenticator.verify(K1_TOKEN) instanceof Verified);
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget()).isEqualTo("/certs");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void unknownKidWaitsForARefreshThatPicksUpTheRotatedKey() {
        server.enqueue(ok(K1_JWKS));
        server.enqueue(ok(K1_K2_JWKS));
        JwtAuthenticator authenticator = authenticator(jwt().jwksMinRefresh(Duration.ofHours(1)));
        authenticator.start();
        assertThat(settle(authenticator, K1_TOKEN)).isInstanceOf(Verified.class);
        assertThat(authenticator.verify(K2_TOKEN)).as("right after a fetch").isEqualTo(new Rejected("unknown signing key"));
        assertThat(server.getRequestCount()).isEqualTo(1);

        authenticators.advance(Duration.ofHours(1));
        JwtOutcome waiting = authenticator.verify(K2_TOKEN);
        assertThat(waiting).isInstanceOf(Pending.class);
        await().atMost(WAIT).until(((Pending) waiting).keysRefreshed()::isDone);

        assertThat(authenticator.verify(K2_TOKEN)).isInstanceOf(Verified.class);
        assertThat(authenticator.verify(K1_TOKEN)).isInstanceOf(Verified.class);
        assertThat(authenticator.verify(K3_TOKEN)).isEqualTo(new Rejected("unknown signing key"));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void concurrentCallersShareOneFetch() {
        server.enqueue(new MockResponse.Builder().code(200).body(K1_JWKS).headersDelay(300, TimeUnit.MILLISECONDS).build());
        JwtAuthenticator authenticator = authenticator(jwt());

        List<JwtOutcome> outcomes = IntStream.range(0, 16).parallel().mapToObj(i -> authenticator.verify(K1_TOKEN)).toList();

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(Pending.class));
        assertThat(outcomes.stream().map(outcome -> ((Pending) outcome).keysRefreshed()).distinct()).hasSize(1);
        CompletableFuture<?> refresh = ((Pending) outcomes.get(0)).keysRefreshed();
        await().atMost(WAIT).until(refresh::isDone);
        assertThat(refresh).isCompleted();
        assertThat(authenticator.verify(K1_TOKEN)).isInstanceOf(Verified.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void refreshReschedulesItselfUntilClosed() throws InterruptedException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return ok(K1_JWKS);
            }
        });
        JwtAuthenticator authenticator = authenticator(jwt().jwksRefresh(Duration.ofMillis(100)));
        authenticator.start();
        await().atMost(WAIT).until(() -> server.getRequestCount() >= 3);

        authenticator.close();
        int afterClose = server.getRequestCount();
        Thread.sleep(400);

        assertThat(server.getRequestCount()).isLessThanOrEqualTo(afterClose + 1);
    }

    @Test
    void closeReleasesCallersWaitingForAFetch() {
        server.enqueue(new MockResponse.Builder().code(200).body(K1_JWKS).headersDelay(3, TimeUnit.SECONDS).build());
        JwtAuthenticator authenticator = authenticator(jwt());
        CompletableFuture<?> refresh = ((Pending) authenticator.verify(K1_TOKEN)).keysRefreshed();

        authenticator.close();

        await().atMost(Duration.ofSeconds(1)).until(refresh::isDone);
        assertThat(refresh).isCompletedExceptionally();
        assertThat(authenticator.verify(K1_TOKEN)).isEqualTo(new Rejected("unknown signing key"));
    }

    @Test
    void aJwkAlgLimitsTheKeyToThatAlgorithm() {
        server.enqueue(ok(Jwks.set(Jwks.rsa("k1", TestKeys.RSA.getPublic(), "RS256"))));
        JwtAuthenticator authenticator = authenticator(jwt());

        assertThat(settle(authenticator, K1_TOKEN)).isInstanceOf(Verified.class);
        String ps256 = Tokens.claims().withKeyId("k1").sign(Tokens.signer("PS256", TestKeys.RSA));
        assertThat(authenticator.verify(ps256)).isEqualTo(new Rejected("algorithm \"PS256\" not allowed for key"));
    }

    @Test
    void ecKeysFromTheJwksVerifyOnlyTheirCurvesAlgorithm() {
        server.enqueue(ok(Jwks.set(Jwks.ec("ec", TestKeys.EC_P384.getPublic(), "P-384"))));
        JwtAuthenticator authenticator = authenticator(jwt());
        String es384 = Tokens.claims().withKeyId("ec").sign(Tokens.signer("ES384", TestKeys.EC_P384));
        String es256 = Tokens.claims().withKeyId("ec").sign(Tokens.signer("ES256", TestKeys.EC_P256));

        assertThat(settle(authenticator, es384)).isInstanceOf(Verified.class);
        assertThat(authenticator.verify(es256)).isEqualTo(new Rejected("algorithm \"ES256\" not allowed for key"));
    }

    @Test
    void tokensWithoutKidUseJwksKeysWithoutKid() {
        server.enqueue(ok(Jwks.set(Jwks.rsa(null, TestKeys.RSA.getPublic()), Jwks.rsa("other", TestKeys.RSA_OTHER.getPublic()))));
        JwtAuthenticator authenticator = authenticator(jwt());
        authenticator.start();

        await().atMost(WAIT).until(() -> authenticator.verify(Tokens.valid("RS256")) instanceof Verified);
        String byKeyWithKid = Tokens.claims().sign(Tokens.signer("RS256", TestKeys.RSA_OTHER));
        assertThat(authenticator.verify(byKeyWithKid)).isEqualTo(new Rejected("bad signature"));
    }

    private JwtAuthenticator authenticator(JwtConfigBuilder config) {
        return authenticators.create(config.jwksUrl(server.url("/certs").uri()));
    }
}
