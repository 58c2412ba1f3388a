package io.gatehouse.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.metrics.RouteMeters;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One route's ring of samples, fed by recording into its real meters and sampling by hand. */
class RouteSeriesTest {
    private final RouteMeters meters = new GatewayMetrics().forRoute("users");

    @Test
    void eachSampleIsTheSecondsGrowthAndItsOwnP99() {
        record(5, 200, 1); // before the series: not its
        RouteSeries series = new RouteSeries("users", meters);

        record(100, 200, 3);
        series.sample(1);
        record(98, 200, 300);
        record(2, 503, 300);
        series.sample(2);
        series.sample(3);

        Window window = Window.of(series, 0, 3);
        assertThat(window.requests).containsExactly(100, 100, 0);
        assertThat(window.errors).containsExactly(0, 2, 0);
        assertThat(window.p99[0]).as("3 ms requests: in the (1, 5] ms bucket").isGreaterThan(1).isLessThanOrEqualTo(5);
        assertThat(window.p99[1]).as("this second's 300 ms, not the mean since start").isGreaterThan(250)
                .isLessThanOrEqualTo(500);
        assertThat(window.p99[2]).as("no request, no p99").isZero();
    }

    @Test
    void theRingKeepsTheLast900Samples() {
        RouteSeries series = new RouteSeries("users", meters);
        for (long sequence = 1; sequence <= 1000; sequence++) {
            record((int) (sequence % 7) + 1, 200, 2);
            series.sample(sequence);
        }
        Window window = Window.of(series, 100, 1000);
        assertThat(window.requests).hasSize(RouteSeries.CAPACITY);
        assertThat(window.requests[0]).isEqualTo(101 % 7 + 1);
        assertThat(window.requests[899]).isEqualTo(1000 % 7 + 1);
    }

    @Test
    void anIdleRouteLetsItsArraysGoAfterFifteenMinutes() {
        RouteSeries series = new RouteSeries("users", meters);
        assertThat(series.active()).isFalse();
        record(1, 200, 2);
        series.sample(1);
        assertThat(series.active()).isTrue();
        for (long sequence = 2; sequence <= RouteSeries.CAPACITY; sequence++) {
            series.sample(sequence);
        }
        assertThat(series.active()).as("the request is still in the window").isTrue();
        series.sample(RouteSeries.CAPACITY + 1);
        assertThat(series.active()).isFalse();
    }

    private void record(int count, int status, long millis) {
        for (int i = 0; i < count; i++) {
            meters.record("GET", status, TimeUnit.MILLISECONDS.toNanos(millis), false);
        }
    }

    private record Window(int[] requests, int[] errors, float[] p99) {
        static Window of(RouteSeries series, long from, long to) {
            int length = (int) (to - from);
            Window window = new Window(new int[length], new int[length], new float[length]);
            series.copy(from, to, window.requests, window.errors, window.p99);
            return window;
        }
    }
}
