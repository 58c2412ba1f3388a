package io.gatehouse.security.jwt;

import static io.gatehouse.security.jwt.JwksFixtures.K1_JWKS;
import static io.gatehouse.security.jwt.JwksFixtures.K1_TOKEN;
import static io.gatehouse.security.jwt.JwksFixtures.K3_TOKEN;
import static io.gatehouse.security.jwt.JwksFixtures.WAIT;
import static io.gatehouse.security.jwt.JwksFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.lifecycle.StartupGate;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.security.Admission;
import io.gatehouse.security.AdmissionProgress;
import io.gatehouse.security.EdgeSecurity;
import io.gatehouse.testing.StartedMockWebServer;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JWT authenticator across a reload, against a real JWKS endpoint whose fetches are counted: an unchanged
 * {@code auth.jwt} keeps its keys, cache and refresh cycle (no new fetch); a changed one fetches for itself, and
 * retiring the old chain stops the old one.
 */
class JwtAcrossReloadTest {
    @RegisterExtension
    final StartedMockWebServer jwks = new StartedMockWebServer();
    private final MockWebServer idp = jwks.server();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<EdgeSecurity> started = new ArrayList<>();

    @BeforeEach
    void serveKeys() {
        idp.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return ok(K1_JWKS);
            }
        });
    }

    @AfterEach
    void stop() {
        started.forEach(EdgeSecurity::close);
        scheduler.shutdownNow();
    }

    private GatewayConfig config(String leeway, String extraRoute) {
        return ConfigLoader.parse("""
                auth:
                  default: [jwt]
                  jwt: {algorithms: [RS256], jwks_url: "%s", jwks_min_refresh: 0s, leeway: %s}
                routes:
                  - {id: r, match: {path_prefix: /}, upstream: "http://127.0.0.1:9"}
                %s""".formatted(idp.url("/certs"), leeway, extraRoute), Map.of());
    }

    private EdgeSecurity start(EdgeSecurity security) {
        security.start();
        started.add(security);
        await().atMost(WAIT).until(() -> security.startupGates().stream().allMatch(StartupGate::isOpen));
        return security;
    }

    private static Admission admit(EdgeSecurity security, String token) {
        AdmissionProgress progress = new AdmissionProgress();
        progress.reset();
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Authorization", "Bearer " + token);
        return security.policy("r").admit(headers, InetAddress.getLoopbackAddress(), null, progress);
    }

    @Test
    void anUnchangedJwtConfigKeepsItsKeysWithoutFetchingThemAgain() {
        EdgeSecurity current = start(new EdgeSecurity(config("30s", ""), new GatewayMetrics(), scheduler));
        assertThat(admit(current, K1_TOKEN)).isInstanceOf(Admission.Admitted.class);
        assertThat(idp.getRequestCount()).isEqualTo(1);

        EdgeSecurity next = current.reconfigure(config("30s",
                "  - {id: added, match: {path_prefix: /added}, upstream: \"http://127.0.0.1:9\"}\n"));
        next.start();
        current.retire(next);
        started.set(0, next);

        assertThat(next.startupGates()).allMatch(StartupGate::isOpen);
        assertThat(admit(next, K1_TOKEN)).as("verified at once: the keys came along")
                .isInstanceOf(Admission.Admitted.class);
        assertThat(admit(next, K3_TOKEN)).as("an unknown kid still refreshes: the refresher was not closed")
                .isInstanceOf(Admission.Waiting.class);
        await().atMost(WAIT).until(() -> idp.getRequestCount() == 2);
    }

    @Test
    void aChangedJwtConfigFetchesForItselfAndRetiringTheOldChainStopsTheOldRefresher() {
        EdgeSecurity current = start(new EdgeSecurity(config("30s", ""), new GatewayMetrics(), scheduler));
        assertThat(idp.getRequestCount()).isEqualTo(1);

        EdgeSecurity next = start(current.reconfigure(config("60s", "")));
        assertThat(idp.getRequestCount()).isEqualTo(2);
        assertThat(admit(next, K1_TOKEN)).isInstanceOf(Admission.Admitted.class);

        current.retire(next);
        started.remove(current);
        assertThat(admit(current, K3_TOKEN)).as("a closed refresher fetches nothing more")
                .isInstanceOf(Admission.Refused.class);
        assertThat(idp.getRequestCount()).isEqualTo(2);
    }
}
