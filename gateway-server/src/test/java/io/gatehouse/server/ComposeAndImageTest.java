package io.gatehouse.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.proxy.downstream.BuiltInEndpoints;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/Dockerfile, the image's default configuration, deploy/compose.yml and what it mounts into Prometheus and
 * Grafana, read as Docker and the tools would (no Docker engine runs here): names, ports and paths agree.
 */
class ComposeAndImageTest {
    private final JsonNode services = DeployFiles.yaml("deploy/compose.yml").path("services");
    private final Dockerfile dockerfile = Dockerfile.read();
    /** The image's default configuration with no variable set, as compose runs it. */
    private final GatewayConfig imageConfig = ConfigLoader.parse(DeployFiles.text("docker/config.yml"), Map.of());

    @Test
    void composeRunsTheGatewayTheSampleServicesPrometheusAndGrafana() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("gateway", "users-1", "users-2", "inventory", "prometheus", "grafana");
        int port = imageConfig.server().port();
        assertThat(texts(services.path("gateway").path("ports"))).containsExactly(port + ":" + port);
        assertThat(services.path("gateway").path("build").path("dockerfile").asText()).isEqualTo("docker/Dockerfile");
        for (String sample : List.of("users-1", "users-2", "inventory")) {
            JsonNode build = services.path(sample).path("build");
            assertThat(build.path("dockerfile").asText()).isEqualTo("docker/Dockerfile");
            assertThat(build.path("target").asText()).as(sample + " build target").isEqualTo("samples");
        }
        assertThat(dockerfile.stageNames()).contains("build", "samples");
    }

    /** The image's default config names its backends by compose service, on the port each service is told to use. */
    @Test
    void theImagesConfigReachesTheSampleServicesByTheirComposeNames() {
        Set<String> seen = new HashSet<>();
        for (var pool : imageConfig.pools().values()) {
            for (BackendConfig backend : pool.backends()) {
                JsonNode service = services.path(backend.host());
                assertThat(service.isMissingNode()).as("compose service " + backend.host()).isFalse();
                List<String> command = texts(service.path("command"));
                assertThat(command.get(command.indexOf("--port") + 1)).isEqualTo(String.valueOf(backend.port()));
                seen.add(backend.host());
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("users-1", "users-2", "inventory");
        assertThat(texts(services.path("gateway").path("depends_on"))).containsExactlyInAnyOrderElementsOf(seen);
    }

    @Test
    void prometheusScrapesTheGatewaysMetricsAndLoadsTheAlertRules() {
        JsonNode prometheus = DeployFiles.yaml("deploy/prometheus/prometheus.yml");
        JsonNode job = prometheus.path("scrape_configs").path(0);
        assertThat(prometheus.path("scrape_configs")).hasSize(1);
        assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
        assertThat(BuiltInEndpoints.handles(job.path("metrics_path").asText())).isTrue();
        assertThat(texts(job.path("static_configs").path(0).path("targets")))
                .containsExactly("gateway:" + imageConfig.server().port());
        List<String> volumes = texts(services.path("prometheus").path("volumes"));
        for (JsonNode ruleFile : prometheus.path("rule_files")) {
            assertThat(volumes).contains("./prometheus/" + fileName(ruleFile.asText()) + ":" + ruleFile.asText() + ":ro");
            assertThat(DeployFiles.ROOT.resolve("deploy/prometheus").resolve(fileName(ruleFile.asText()))).isRegularFile();
        }
        String configFile = texts(services.path("prometheus").path("command")).get(0).replace("--config.file=", "");
        assertThat(volumes).contains("./prometheus/prometheus.yml:" + configFile + ":ro");
    }

    @Test
    void grafanaProvisionsThePrometheusDataSourceAndTheDashboard() throws Exception {
        List<String> volumes = texts(services.path("grafana").path("volumes"));
        assertThat(volumes).contains("./grafana/provisioning:/etc/grafana/provisioning:ro");
        JsonNode datasource = DeployFiles.yaml("deploy/grafana/provisioning/datasources/prometheus.yml")
                .path("datasources").path(0);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        URI url = URI.create(datasource.path("url").asText());
        assertThat(services.has(url.getHost())).as("compose service " + url.getHost()).isTrue();
        assertThat(texts(services.path(url.getHost()).path("ports"))).contains(url.getPort() + ":" + url.getPort());
        String dashboards = DeployFiles.yaml("deploy/grafana/provisioning/dashboards/gatehouse.yml")
                .path("providers").path(0).path("options").path("path").asText();
        assertThat(volumes).contains("./grafana/gatehouse.json:" + dashboards + "/gatehouse.json:ro");

        JsonNode dashboard = DeployFiles.json("deploy/grafana/gatehouse.json");
        List<String> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).contains("datasource", "route", "pool");
        JsonNode datasourceVariable = dashboard.path("templating").path("list").path(0);
        assertThat(datasourceVariable.path("type").asText()).isEqualTo("datasource");
        assertThat(datasourceVariable.path("query").asText()).isEqualTo("prometheus");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id " + panel.path("id")).isTrue();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                        .isEqualTo("${datasource}");
            }
        }
    }

    @Test
    void theImageRunsTheGatewayAsANonRootUserOnItsConfigsPortWithAHealthCheck() {
        int port = imageConfig.server().port();
        assertThat(dockerfile.argument("EXPOSE")).isEqualTo(String.valueOf(port));
        String configPath = dockerfile.env().get("GATEWAY_CONFIG");
        assertThat(dockerfile.copies()).contains(List.of("docker/config.yml", configPath));
        String[] user = dockerfile.user().split(":");
        assertThat(Integer.parseInt(user[0])).as("numeric non-root uid").isPositive();
        assertThat(Integer.parseInt(user[1])).as("numeric non-root gid").isPositive();
        String check = String.join(" ", dockerfile.healthcheckCommand());
        assertThat(check).startsWith("bash -c ").contains("/dev/tcp/127.0.0.1/${GATEWAY_PORT:-" + port + "}")
                .contains("GET /healthz ");
        assertThat(BuiltInEndpoints.handles("/healthz")).isTrue();
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
