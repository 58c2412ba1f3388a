package io.gatehouse.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.config.ConfigException;
import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

/** {@code metrics.enabled: false}: requests are served and nothing is recorded; {@code /metrics} answers 404. */
class MetricsDisabledIntegrationTest {
    private static final String OFF = "metrics: {enabled: false}\n";

    @Test
    void requestsAreServedAndMetricsAnswers404WithTheGatewaysErrorBody() throws Exception {
        try (NamedBackend a = new NamedBackend("A");
             TestGateway gateway = TestGateway.start(OFF + JvmMetersIntegrationTest.config(a))) {
            assertThat(gateway.get("/a").body()).isEqualTo("A");
            assertThat(gateway.get("/nowhere").statusCode()).isEqualTo(404);

            HttpResponse<String> metrics = gateway.get("/metrics");

            assertThat(metrics.statusCode()).isEqualTo(404);
            assertThat(metrics.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(metrics.body()).startsWith("{\"error\":\"not_found\",")
                    .contains("metrics are disabled (metrics.enabled: false)", "\"request_id\":");
            assertThat(gateway.server().metrics().scrape()).as("nothing was recorded").isEmpty();
        }
    }

    @Test
    void aReloadCannotTurnMetricsOnOrOff() throws Exception {
        try (NamedBackend a = new NamedBackend("A");
             TestGateway off = TestGateway.start(OFF + JvmMetersIntegrationTest.config(a));
             TestGateway on = TestGateway.start(JvmMetersIntegrationTest.config(a))) {
            assertThatThrownBy(() -> off.install(JvmMetersIntegrationTest.config(a)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("metrics.enabled: cannot change while running (running: false; restart to change it)");
            assertThatThrownBy(() -> on.install(OFF + JvmMetersIntegrationTest.config(a)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("metrics.enabled: cannot change while running (running: true; restart to change it)");

            assertThat(off.get("/metrics").statusCode()).isEqualTo(404);
            assertThat(on.get("/metrics").statusCode()).isEqualTo(200);
        }
    }
}
