package io.gatehouse.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.proxy.downstream.BuiltInEndpoints;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s as a cluster would read it (no cluster runs here): each object well-formed, the objects pointing at
 * each other, and what they say about the gateway (image, port, probe paths, user, shutdown time) agreeing with
 * the gateway, its image and its configuration.
 */
class KubernetesManifestsTest {
    /** Stopping the event loops and the JVM after the drain: GatewayServer's 2 s quiet period and some margin. */
    private static final int STOP_MARGIN_SECONDS = 5;

    private final JsonNode deployment = DeployFiles.yaml("deploy/k8s/deployment.yaml");
    private final JsonNode pod = deployment.path("spec").path("template");
    private final JsonNode container = pod.path("spec").path("containers").path(0);

    @Test
    void everyObjectIsNamedAndListedInTheKustomization() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(DeployFiles.ROOT.resolve("deploy/k8s"))) {
            paths.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".yaml"))
                    .filter(name -> !name.equals("kustomization.yaml")).sorted().forEach(files::add);
        }
        assertThat(files).containsExactly("configmap.yaml", "deployment.yaml", "hpa.yaml", "pdb.yaml", "service.yaml");
        for (String file : files) {
            JsonNode object = DeployFiles.yaml("deploy/k8s/" + file);
            assertThat(object.path("apiVersion").asText()).as(file + " apiVersion").isNotBlank();
            assertThat(object.path("kind").asText()).as(file + " kind").isNotBlank();
            assertThat(object.path("metadata").path("name").asText()).as(file + " metadata.name").isNotBlank();
        }
        List<String> resources = new ArrayList<>();
        DeployFiles.yaml("deploy/k8s/kustomization.yaml").path("resources").forEach(r -> resources.add(r.asText()));
        assertThat(resources).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void theConfigMapHoldsAValidConfigThatTheContainerReads() {
        GatewayConfig config = configMapConfig();
        assertThat(config.routes()).isNotEmpty();
        JsonNode configMap = DeployFiles.yaml("deploy/k8s/configmap.yaml");
        JsonNode volume = volume("config");
        assertThat(volume.path("configMap").path("name").asText()).isEqualTo(configMap.path("metadata").path("name").asText());
        String mountPath = mount("config").path("mountPath").asText();
        assertThat(texts(container.path("args"))).containsExactly("--config", mountPath + "/config.yml");
        assertThat(mount("config").path("readOnly").asBoolean()).isTrue();
    }

    @Test
    void theContainerRunsTheImageComposeBuildsOnThePortOfItsConfig() {
        assertThat(container.path("image").asText())
                .isEqualTo(DeployFiles.yaml("deploy/compose.yml").path("services").path("gateway").path("image").asText())
                .isNotBlank();
        JsonNode port = container.path("ports").path(0);
        assertThat(port.path("containerPort").asInt()).isEqualTo(configMapConfig().server().port());
        assertThat(port.path("name").asText()).isEqualTo("http");
    }

    @Test
    void probesUseTheGatewaysOwnHealthAndReadinessEndpoints() {
        JsonNode liveness = container.path("livenessProbe").path("httpGet");
        JsonNode readiness = container.path("readinessProbe").path("httpGet");
        assertThat(liveness.path("path").asText()).isEqualTo("/healthz");
        assertThat(readiness.path("path").asText()).isEqualTo("/readyz");
        for (JsonNode probe : List.of(liveness, readiness)) {
            assertThat(BuiltInEndpoints.handles(probe.path("path").asText())).isTrue();
            assertThat(probe.path("port").asText()).isEqualTo(container.path("ports").path(0).path("name").asText());
        }
    }

    /** preStop sleeps while the endpoints drop the pod, then SIGTERM drains for up to server.shutdown_grace. */
    @Test
    void terminationGraceCoversThePreStopPauseAndTheDrain() {
        List<String> preStop = texts(container.path("lifecycle").path("preStop").path("exec").path("command"));
        assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
        int pause = Integer.parseInt(preStop.get(1));
        assertThat(pause).isBetween(1, 15);
        long drain = configMapConfig().server().shutdownGrace().toSeconds();
        assertThat(pod.path("spec").path("terminationGracePeriodSeconds").asInt())
                .isGreaterThanOrEqualTo((int) (pause + drain + STOP_MARGIN_SECONDS));
    }

    @Test
    void theContainerRunsAsTheImagesUserWithoutPrivilegesOnAReadOnlyRoot() {
        JsonNode podSecurity = pod.path("spec").path("securityContext");
        assertThat(podSecurity.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(podSecurity.path("runAsUser").asText() + ":" + podSecurity.path("runAsGroup").asText())
                .isEqualTo(Dockerfile.read().user());
        JsonNode security = container.path("securityContext");
        assertThat(security.path("allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(texts(security.path("capabilities").path("drop"))).containsExactly("ALL");
        // The JVM needs a writable /tmp (-XX:-UsePerfData keeps it from writing hsperfdata there at all).
        assertThat(mount("tmp").path("mountPath").asText()).isEqualTo("/tmp");
        assertThat(volume("tmp").has("emptyDir")).isTrue();
        for (String kind : List.of("requests", "limits")) {
            JsonNode resources = container.path("resources").path(kind);
            assertThat(resources.path("cpu").asText()).as(kind + ".cpu").isNotBlank();
            assertThat(resources.path("memory").asText()).as(kind + ".memory").isNotBlank();
        }
    }

    @Test
    void serviceBudgetAndAutoscalerSelectTheDeployment() {
        JsonNode podLabels = pod.path("metadata").path("labels");
        assertThat(podLabels.size()).as("pod labels").isPositive();
        assertThat(deployment.path("spec").path("selector").path("matchLabels")).isEqualTo(podLabels);
        JsonNode service = DeployFiles.yaml("deploy/k8s/service.yaml");
        assertThat(service.path("spec").path("selector")).isEqualTo(podLabels);
        assertThat(service.path("spec").path("ports").path(0).path("targetPort").asText())
                .isEqualTo(container.path("ports").path(0).path("name").asText());
        JsonNode pdb = DeployFiles.yaml("deploy/k8s/pdb.yaml");
        assertThat(pdb.path("spec").path("selector").path("matchLabels")).isEqualTo(podLabels);
        JsonNode hpa = DeployFiles.yaml("deploy/k8s/hpa.yaml");
        JsonNode target = hpa.path("spec").path("scaleTargetRef");
        assertThat(target.path("kind").asText()).isEqualTo(deployment.path("kind").asText());
        assertThat(target.path("name").asText()).isEqualTo(deployment.path("metadata").path("name").asText());
        // A budget that needs every replica the autoscaler may leave would block node drains for good.
        assertThat(pdb.path("spec").path("minAvailable").asInt()).isLessThan(hpa.path("spec").path("minReplicas").asInt());
        assertThat(hpa.path("spec").path("maxReplicas").asInt()).isGreaterThan(hpa.path("spec").path("minReplicas").asInt());
    }

    private static GatewayConfig configMapConfig() {
        String yaml = DeployFiles.yaml("deploy/k8s/configmap.yaml").path("data").path("config.yml").asText();
        return ConfigLoader.parse(yaml, Map.of());
    }

    private JsonNode mount(String name) {
        return named(container.path("volumeMounts"), name);
    }

    private JsonNode volume(String name) {
        return named(pod.path("spec").path("volumes"), name);
    }

    private static JsonNode named(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (name.equals(item.path("name").asText())) {
                return item;
            }
        }
        throw new AssertionError("no entry named " + name + " in " + list);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
