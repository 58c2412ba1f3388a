package io.gatehouse.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlMetricNamesTest {

    @Test
    void findsTheSelectedSeriesAndNotFunctionsLabelsOrKeywords() {
        assertThat(PromQlMetricNames.in("histogram_quantile(0.99, sum by (route, le) "
                + "(rate(gatehouse_request_duration_seconds_bucket{instance=~\"$instance\", route!=\"none\"}[$__rate_interval])))"))
                .containsExactly("gatehouse_request_duration_seconds_bucket");
        assertThat(PromQlMetricNames.in("sum without (backend) (gatehouse_backend_healthy) == 0"))
                .containsExactly("gatehouse_backend_healthy");
    }

    @Test
    void findsEachOperandOfBinaryAndSetOperations() {
        assertThat(PromQlMetricNames.in("job:a:ratio_rate1h > (14.4 * 0.001) and on (job) job:b:ratio_rate5m > 1e-3"
                + " unless ignoring(x) c_total offset 5m or vector(1) - time() < 14 * 86400"))
                .containsExactly("c_total", "job:a:ratio_rate1h", "job:b:ratio_rate5m");
    }

    @Test
    void readsTheMetricOfAGrafanaLabelValuesVariable() {
        assertThat(PromQlMetricNames.in("label_values(gatehouse_backend_healthy{instance=~\"$instance\"}, pool)"))
                .containsExactly("gatehouse_backend_healthy");
    }
}
