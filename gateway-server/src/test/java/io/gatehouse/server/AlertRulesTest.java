package io.gatehouse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/prometheus/alerts.yml as Prometheus loads it ({@code promtool check rules}), its unit tests
 * ({@code promtool test rules}: every alert fires on a synthetic series and stays quiet on a healthy one), and
 * the Grafana dashboard's queries as valid PromQL.
 */
class AlertRulesTest {
    private static final Set<String> SEVERITIES = Set.of("critical", "warning");

    @TempDir
    Path dir;

    @Test
    void prometheusLoadsTheRules() throws Exception {
        assertThat(Promtool.succeeds("check", "rules", DeployFiles.ALERTS.toString())).contains("SUCCESS");
    }

    /** prometheus.yml as compose mounts it: its rule file paths are where compose puts alerts.yml. */
    @Test
    void prometheusAcceptsTheComposeConfigWithTheRulesItMounts() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode config = (ObjectNode) DeployFiles.yaml("deploy/prometheus/prometheus.yml");
        ArrayNode ruleFiles = config.putArray("rule_files");
        for (JsonNode volume : DeployFiles.yaml("deploy/compose.yml").path("services").path("prometheus").path("volumes")) {
            String[] mount = volume.asText().split(":");
            if (mount[1].endsWith("/alerts.yml")) {
                ruleFiles.add(DeployFiles.ROOT.resolve("deploy").resolve(mount[0]).toAbsolutePath().normalize().toString());
            }
        }
        assertThat(ruleFiles).hasSize(1);
        Path configFile = dir.resolve("prometheus.yml");
        yaml.writeValue(configFile.toFile(), config);
        assertThat(Promtool.succeeds("check", "config", configFile.toString())).containsPattern("SUCCESS: [1-9][0-9]* rules found");
    }

    @Test
    void everyAlertFiresOnItsSyntheticSeriesAndStaysQuietOnHealthyOnes() throws Exception {
        assertThat(Promtool.succeeds("test", "rules", DeployFiles.ALERTS_TEST.toString())).contains("SUCCESS");
    }

    @Test
    void everyAlertHasASeverityAnExplanationAndUnitTestsThatSeeItFireAndStayQuiet() {
        Set<String> firing = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : DeployFiles.yaml("deploy/prometheus/alerts_test.yml").path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String alert = check.path("alertname").asText();
                (check.path("exp_alerts").isEmpty() ? quiet : firing).add(alert);
            }
        }
        List<JsonNode> alerts = DeployFiles.rules().stream().filter(rule -> rule.has("alert")).toList();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
        for (JsonNode alert : alerts) {
            String name = alert.get("alert").asText();
            assertThat(alert.path("labels").path("severity").asText()).as(name + " severity").isIn(SEVERITIES);
            for (String annotation : List.of("summary", "description", "runbook")) {
                assertThat(alert.path("annotations").path(annotation).asText()).as(name + " " + annotation).isNotBlank();
            }
            assertThat(firing).as("alerts some test expects to fire").contains(name);
            assertThat(quiet).as("alerts some test expects to stay quiet").contains(name);
        }
    }

    /** Each query, with Grafana's variables given values, as a recording rule that promtool must accept. */
    @Test
    void everyDashboardQueryIsValidPromQl() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode file = yaml.createObjectNode();
        ObjectNode group = file.putArray("groups").addObject().put("name", "dashboard");
        ArrayNode rules = group.putArray("rules");
        int n = 0;
        for (Map.Entry<String, String> query : DeployFiles.dashboardQueries().entrySet()) {
            if (query.getKey().startsWith("variable ")) {
                continue; // label_values(...) is Grafana's, not PromQL; its metric is checked against /metrics
            }
            String promQl = query.getValue().replace("$__rate_interval", "1m")
                    .replace("$instance", ".*").replace("$route", ".*").replace("$pool", ".*");
            assertThat(promQl).as(query.getKey()).doesNotContain("$");
            rules.addObject().put("record", "dashboard:query_" + n++).put("expr", promQl);
        }
        assertThat(n).isGreaterThanOrEqualTo(20);
        Path rulesFile = dir.resolve("dashboard-queries.yml");
        yaml.writeValue(rulesFile.toFile(), file);
        assertThat(Promtool.succeeds("check", "rules", rulesFile.toString())).contains("SUCCESS");
    }
}
