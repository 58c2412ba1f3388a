package io.gatehouse.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.PrometheusText;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

/** The JVM, process and Netty allocator meters a live {@code /metrics} serves next to the gateway's own. */
class JvmMetersIntegrationTest {
    @Test
    void metricsServesJvmProcessAndAllocatorMetersNextToTheGatewaysOwn() throws Exception {
        try (NamedBackend a = new NamedBackend("A"); TestGateway gateway = TestGateway.start(config(a))) {
            assertThat(gateway.get("/a").body()).isEqualTo("A");
            System.gc(); // the GC pause timer appears with the first collection the JVM reports

            String metrics = await().atMost(Duration.ofSeconds(10))
                    .until(() -> scrape(gateway), text -> text.contains("jvm_gc_pause_seconds_count{"));

            assertThat(PrometheusText.value(metrics, "gatehouse_requests_total", "route=\"a\"")).isEqualTo(1.0);
            assertThat(PrometheusText.value(metrics, "jvm_memory_used_bytes", "area=\"heap\"")).isNotNaN();
            assertThat(PrometheusText.value(metrics, "jvm_memory_used_bytes", "id=\"Metaspace\"")).isPositive();
            assertThat(PrometheusText.value(metrics, "jvm_threads_live_threads")).isPositive();
            assertThat(PrometheusText.value(metrics, "jvm_classes_loaded_classes")).isPositive();
            assertThat(PrometheusText.value(metrics, "process_cpu_usage")).isNotNaN();
            assertThat(PrometheusText.value(metrics, "process_files_open_files")).isPositive();
            assertThat(PrometheusText.value(metrics, "process_uptime_seconds")).isPositive();
            assertThat(PrometheusText.value(metrics, "netty_allocator_memory_used", "memory_type=\"direct\""))
                    .as("the allocator that carried the request").isPositive();
            assertThat(PrometheusText.value(metrics, "netty_allocator_memory_used", "memory_type=\"heap\""))
                    .isNotNaN();
        }
    }

    @Test
    void twoGatewaysInOneJvmEachServeTheirOwnAndOneStoppingLeavesTheOther() throws Exception {
        try (NamedBackend a = new NamedBackend("A"); TestGateway first = TestGateway.start(config(a))) {
            TestGateway second = TestGateway.start(config(a));
            assertThat(scrape(second)).contains("jvm_memory_used_bytes{");
            second.close();

            assertThat(first.get("/a").body()).isEqualTo("A");
            String metrics = scrape(first);
            assertThat(metrics).contains("jvm_memory_used_bytes{", "process_uptime_seconds ");
            assertThat(PrometheusText.value(metrics, "gatehouse_requests_total", "route=\"a\"")).isEqualTo(1.0);
        }
    }

    static String config(NamedBackend backend) {
        return """
                pools:
                  a: {backends: ["%s"]}
                routes:
                  - {id: a, match: {path_prefix: /a}, pool: a}
                """.formatted(backend.url());
    }

    static String scrape(TestGateway gateway) throws Exception {
        HttpResponse<String> response = gateway.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
