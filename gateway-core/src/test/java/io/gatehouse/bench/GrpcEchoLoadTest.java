package io.gatehouse.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The gRPC bench's own pieces: the echo server and the closed-loop client against it, and their arithmetic. */
class GrpcEchoLoadTest {

    @Test
    void keepsCallsInFlightAgainstTheEchoServerAndCountsOnlyWhileMeasuring() throws Exception {
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        List<ManagedChannel> channels = new ArrayList<>();
        try (GrpcEchoServer server = new GrpcEchoServer(0)) {
            for (int i = 0; i < 2; i++) {
                channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build());
            }
            ClosedLoopCalls load = new ClosedLoopCalls(channels, new byte[100], retries);
            load.start(8);
            assertThat(load.calls()).isZero(); // not measuring yet
            load.measure();
            await().atMost(Duration.ofSeconds(20)).until(() -> load.calls() >= 200);

            assertThat(load.stop(10_000)).as("every call in flight ended").isTrue();
            long counted = load.calls();
            assertThat(load.errors()).isZero();
            assertThat(load.firstError()).isNull();
            assertThat(load.latencies().quantileMillis(0.5)).isPositive().isFinite();
            assertThat(load.calls()).as("no call starts after stop").isEqualTo(counted);
        } finally {
            for (ManagedChannel channel : channels) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            retries.shutdownNow();
        }
    }

    @Test
    void aTargetThatRefusesEveryCallIsCountedAsErrorsWithItsStatus() throws Exception {
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        int port;
        try (GrpcEchoServer gone = new GrpcEchoServer(0)) {
            port = gone.port(); // closed again: nothing listens there any more
        }
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            ClosedLoopCalls load = new ClosedLoopCalls(List.of(channel), new byte[8], retries);
            load.measure();
            load.start(4);
            await().atMost(Duration.ofSeconds(20)).until(() -> load.errors() >= 4);
            assertThat(load.stop(10_000)).isTrue();
            assertThat(load.calls()).isZero();
            assertThat(load.firstError().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            retries.shutdownNow();
        }
    }

    @Test
    void histogramQuantilesAreBucketUpperBoundsInMilliseconds() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertThat(histogram.quantileMillis(0.5)).isNaN();
        for (int i = 0; i < 98; i++) {
            histogram.record(TimeUnit.MICROSECONDS.toNanos(55));
        }
        histogram.record(TimeUnit.MILLISECONDS.toNanos(5));
        histogram.record(TimeUnit.SECONDS.toNanos(3));

        assertThat(histogram.quantileMillis(0.5)).isEqualTo(0.06);
        assertThat(histogram.quantileMillis(0.99)).isEqualTo(5.01);
        assertThat(histogram.quantileMillis(1.0)).isInfinite();
    }

    @Test
    void readsTheCpuCountersOfProcessesAndCoresFromProc() throws Exception {
        assertThat(ProcStat.processTicks(List.of(ProcessHandle.current().pid()))).isPositive(); // this JVM has run
        assertThat(ProcStat.processTicks(List.of())).isZero();
        long[] core = ProcStat.coreTicks(0);
        assertThat(core[1]).isPositive();
        assertThat(core[0]).isBetween(0L, core[1]);
        assertThat(ProcStat.busyPercent(core, core)).isNaN();
        assertThat(ProcStat.busyPercent(new long[] {10, 100}, new long[] {40, 200})).isEqualTo(30.0);
    }

    @Test
    void summaryMedianLeavesOutWhatWasNotMeasured() {
        GrpcEchoLoad.Target direct = new GrpcEchoLoad.Target("direct", 1, List.of());
        List<GrpcEchoLoad.Run> runs = List.of(
                new GrpcEchoLoad.Run(direct, 300, 1, 2, Double.NaN, Double.NaN, 10, 50, 0),
                new GrpcEchoLoad.Run(direct, 100, 1, 2, Double.NaN, Double.NaN, 30, 50, 0),
                new GrpcEchoLoad.Run(direct, 200, 1, 2, Double.NaN, Double.NaN, Double.NaN, 50, 0));

        assertThat(RunSummary.median(runs, GrpcEchoLoad.Run::rate)).isEqualTo(200);
        assertThat(RunSummary.median(runs, GrpcEchoLoad.Run::backendMicrosPerCall)).isEqualTo(20);
        assertThat(RunSummary.median(runs, GrpcEchoLoad.Run::proxyMicrosPerCall)).isNaN();
    }
}
