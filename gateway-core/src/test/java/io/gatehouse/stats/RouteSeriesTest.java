package io.gatehouse.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.RequestContext;
import io.gatehouse.metrics.RouteMeters;
import io.gatehouse.metrics.TimedRouteMeters;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One route's ring of samples, fed by recording into its meters and sampling by hand. */
class RouteSeriesTest {
    private final TimedRouteMeters timed = TimedRouteMeters.of("users");
    private final RouteMeters meters = timed.meters();

    @Test
    void eachSampleIsTheSecondsGrowthAndItsOwnP99() {
        timed(5, 1); // before the series: not its
        RouteSeries series = new RouteSeries("users", meters);

        timed(100, 3);
        series.sample(1);
        timed(98, 300);
        answered(2, 503); // timed by the request's own clock: under a millisecond
        series.sample(2);
        series.sample(3);

        Window window = Window.of(series, 0, 3);
        assertThat(window.requests).containsExactly(100, 100, 0);
        assertThat(window.errors).containsExactly(0, 2, 0);
        assertThat(window.p99[0]).as("3 ms requests: in the (1, 5] ms bucket").isGreaterThan(1).isLessThanOrEqualTo(5);
        assertThat(window.p99[1]).as("this second's 300 ms, not the mean since start").isGreaterThan(250)
                .isLessThanOrEqualTo(500);
        timed(100, 3);
        series.sample(4);
        assertThat(Window.of(series, 3, 4).p99[0]).as("the slow second is not carried on").isLessThanOrEqualTo(5);
        assertThat(window.p99[2]).as("no request, no p99").isZero();
    }

    @Test
    void theRingKeepsTheLast900Samples() {
        RouteSeries series = new RouteSeries("users", meters);
        for (long sequence = 1; sequence <= 1000; sequence++) {
            timed((int) (sequence % 7) + 1, 2);
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
        timed(1, 2);
        series.sample(1);
        assertThat(series.active()).isTrue();
        for (long sequence = 2; sequence <= RouteSeries.CAPACITY; sequence++) {
            series.sample(sequence);
        }
        assertThat(series.active()).as("the request is still in the window").isTrue();
        series.sample(RouteSeries.CAPACITY + 1);
        assertThat(series.active()).isFalse();
    }

    /** Requests that took {@code millis} each. */
    private void timed(int count, long millis) {
        for (int i = 0; i < count; i++) {
            timed.latency().record(Duration.ofMillis(millis));
        }
    }

    /** Requests answered with {@code status}, counted as the gateway counts them. */
    private void answered(int count, int status) {
        for (int i = 0; i < count; i++) {
            RequestContext request = new RequestContext(
                    new ClientPeer(InetAddress.getLoopbackAddress(), "127.0.0.1", false), "GET", "/users", "r" + i);
            request.finish(status);
            meters.record(request, status);
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
