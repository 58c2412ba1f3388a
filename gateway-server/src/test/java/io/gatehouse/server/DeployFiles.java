package io.gatehouse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files under {@code deploy/} and {@code docker/}, read as their tools read them: YAML and JSON parsed with
 * Jackson, PromQL expressions collected from the alert rules and the Grafana dashboard.
 */
final class DeployFiles {
    /** Maven runs the tests with the module directory as the working directory. */
    static final Path ROOT = Path.of("..");
    static final Path ALERTS = ROOT.resolve("deploy/prometheus/alerts.yml");
    static final Path ALERTS_TEST = ROOT.resolve("deploy/prometheus/alerts_test.yml");
    static final Path DOCKER_CONFIG = ROOT.resolve("docker/config.yml");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() {}

    static JsonNode yaml(String relative) {
        return read(YAML, relative);
    }

    static JsonNode json(String relative) {
        return read(JSON, relative);
    }

    static String text(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(ObjectMapper mapper, String relative) {
        try {
            return mapper.readTree(ROOT.resolve(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(relative + " does not parse", e);
        }
    }

    /** Every alerting and recording rule of alerts.yml, in order. */
    static List<JsonNode> rules() {
        List<JsonNode> rules = new ArrayList<>();
        yaml("deploy/prometheus/alerts.yml").path("groups").forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    /** The names alerts.yml records (level:metric:operation), which Prometheus computes rather than scrapes. */
    static List<String> recordedNames() {
        return rules().stream().filter(rule -> rule.has("record")).map(rule -> rule.get("record").asText()).toList();
    }

    /** Each rule's expression, by the alert's or recorded series' name. */
    static Map<String, String> ruleExpressions() {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (JsonNode rule : rules()) {
            String name = rule.has("alert") ? rule.get("alert").asText() : rule.get("record").asText();
            expressions.put(name, rule.get("expr").asText());
        }
        return expressions;
    }

    /**
     * Each PromQL query of the dashboard, by where it is ("panel title #refId", "variable name"): the panels'
     * targets and the query variables' {@code label_values(...)}.
     */
    static Map<String, String> dashboardQueries() {
        JsonNode dashboard = json("deploy/grafana/gatehouse.json");
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(panel.path("title").asText() + " #" + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                queries.put("variable " + variable.path("name").asText(),
                        variable.path("query").path("query").asText());
            }
        }
        return queries;
    }
}
