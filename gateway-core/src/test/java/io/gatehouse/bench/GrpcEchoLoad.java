package io.gatehouse.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC figure of bench/grpc.sh: unary echo calls ({@link GrpcEcho}) per second straight to a grpc-java server
 * and through proxies in front of it, the targets alternating for ROUNDS rounds, each run a warm-up and then a
 * measured stretch, with the CPU time per call of the proxy's processes and of the backend's (from /proc).
 *
 * <pre>
 * GrpcEchoLoad target=direct:PORT target=gatehouse:PORT:PID [target=nginx:PORT:PID,PID ...] [backend_pid=PID]
 *              [loadgen_cpu=0] [channels=4] [concurrency=128] [bytes=64] [first_warmup=20] [warmup=3]
 *              [seconds=10] [rounds=2]
 *              [clk_tck=100]
 * </pre>
 * {@code concurrency} calls are kept in flight, spread over {@code channels} channels (one HTTP/2 connection each,
 * cleartext with prior knowledge). {@code loadgen_cpu}: the core this tool and the backend share, whose busy % each
 * row shows (near 100: the figure is this core's limit, not the proxy's). It prints a markdown row per run and then the medians per target, and exits
 * with status 1 when a call failed.
 */
public final class GrpcEchoLoad {
    private static final Set<String> KEYS =
            Set.of("backend_pid", "loadgen_cpu", "channels", "concurrency", "bytes", "first_warmup", "warmup",
                    "seconds", "rounds", "clk_tck");

    private GrpcEchoLoad() {}

    record Target(String name, int port, List<Long> pids) {}

    record Run(Target target, double rate, double p50, double p99, double proxyCpuPercent, double proxyMicrosPerCall,
               double backendMicrosPerCall, double loadgenCorePercent, long errors) {}

    public static void main(String[] args) throws Exception {
        List<Target> targets = new ArrayList<>();
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length == 2 && kv[0].equals("target")) {
                targets.add(target(kv[1]));
            } else if (kv.length == 2 && KEYS.contains(kv[0])) {
                settings.put(kv[0], kv[1]);
            } else {
                throw new IllegalArgumentException(arg + ": expected target=NAME:PORT[:PID,...] or one of " + KEYS
                        + " as KEY=VALUE");
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no target=NAME:PORT[:PID,...] given");
        }
        List<Long> backend = settings.containsKey("backend_pid")
                ? List.of(Long.parseLong(settings.get("backend_pid"))) : List.of();
        GrpcEchoLoad.Settings s = new Settings(positive(settings, "channels", 4), positive(settings, "concurrency", 128),
                new byte[positive(settings, "bytes", 64)], positive(settings, "first_warmup", 20),
                positive(settings, "warmup", 3),
                positive(settings, "seconds", 10), positive(settings, "rounds", 2), positive(settings, "clk_tck", 100),
                backend, Integer.parseInt(settings.getOrDefault("loadgen_cpu", "0")));
        try {
            System.exit(new Runner(s).runAll(targets) ? 0 : 1);
        } catch (IllegalStateException e) {
            System.err.println("GrpcEchoLoad: " + e.getMessage()); // a target that does not answer: said in one line
            System.exit(1);
        }
    }

    record Settings(int channels, int concurrency, byte[] payload, int firstWarmup, int warmup, int seconds, int rounds,
                    int clkTck,
                    List<Long> backendPids, int loadgenCpu) {}

    private static Target target(String spec) {
        String[] parts = spec.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("target=" + spec + ": expected NAME:PORT or NAME:PORT:PID[,PID...]");
        }
        List<Long> pids = parts.length == 3 ? Arrays.stream(parts[2].split(",")).map(Long::parseLong).toList()
                : List.of();
        return new Target(parts[0], Integer.parseInt(parts[1]), pids);
    }

    private static int positive(Map<String, String> settings, String key, int fallback) {
        int value = Integer.parseInt(settings.getOrDefault(key, Integer.toString(fallback)));
        if (value <= 0) {
            throw new IllegalArgumentException(key + "=" + value + " (expected: > 0)");
        }
        return value;
    }

    private static final class Runner {
        private final Settings settings;
        private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "retries");
            thread.setDaemon(true);
            return thread;
        });

        Runner(Settings settings) {
            this.settings = settings;
        }

        /** Every round, every target in turn; true when no call failed. */
        boolean runAll(List<Target> targets) throws Exception {
            System.out.printf("gRPC unary echo of %d bytes, %d calls in flight on %d channels, %d s warm-up + %d s "
                            + "per run, after a first warm-up of %d s per target (the JIT of client, server and "
                            + "proxy)%n%n", settings.payload().length, settings.concurrency(), settings.channels(),
                    settings.warmup(), settings.seconds(), settings.firstWarmup());
            for (Target target : targets) {
                run(target, settings.firstWarmup(), false);
            }
            System.out.println("| round | target | calls/s | p50 ms | p99 ms | proxy CPU % | proxy CPU µs/call "
                    + "| backend CPU µs/call | load-gen core % | errors |");
            System.out.println("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            List<Run> runs = new ArrayList<>();
            for (int round = 1; round <= settings.rounds(); round++) {
                for (Target target : targets) {
                    Run run = run(target, settings.warmup(), true);
                    runs.add(run);
                    System.out.printf("| %d | %s | %,.0f | %s | %s | %s | %s | %s | %s | %d |%n", round,
                            target.name(), run.rate(), millis(run.p50()), millis(run.p99()),
                            orDash(run.proxyCpuPercent()), orDash(run.proxyMicrosPerCall()),
                            orDash(run.backendMicrosPerCall()), orDash(run.loadgenCorePercent()), run.errors());
                }
            }
            RunSummary.print(targets, runs);
            return runs.stream().allMatch(run -> run.errors() == 0);
        }

        /** One run: {@code warmup} seconds, then (when {@code measured}) the measured stretch; null when not measured. */
        private Run run(Target target, int warmup, boolean measured) throws Exception {
            List<ManagedChannel> channels = new ArrayList<>();
            try {
                for (int i = 0; i < settings.channels(); i++) {
                    channels.add(connected(target));
                }
                ClosedLoopCalls load = new ClosedLoopCalls(channels, settings.payload(), retries);
                load.start(settings.concurrency());
                Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
                if (!measured) {
                    load.stop(TimeUnit.SECONDS.toMillis(15));
                    return null;
                }
                long proxy0 = ProcStat.processTicks(target.pids());
                long backend0 = ProcStat.processTicks(settings.backendPids());
                long[] core0 = ProcStat.coreTicks(settings.loadgenCpu());
                long start = System.nanoTime();
                load.measure();
                Thread.sleep(TimeUnit.SECONDS.toMillis(settings.seconds()));
                double elapsed = (System.nanoTime() - start) / 1e9;
                long proxy = ProcStat.processTicks(target.pids()) - proxy0;
                long backend = ProcStat.processTicks(settings.backendPids()) - backend0;
                double core = ProcStat.busyPercent(core0, ProcStat.coreTicks(settings.loadgenCpu()));
                if (!load.stop(TimeUnit.SECONDS.toMillis(15))) {
                    System.err.println(target.name() + ": calls still in flight after the run");
                }
                if (load.firstError() != null) {
                    System.err.println(target.name() + ": a call failed: " + load.firstError());
                }
                long calls = load.calls();
                double rate = calls / elapsed;
                return new Run(target, rate, load.latencies().quantileMillis(0.5),
                        load.latencies().quantileMillis(0.99),
                        target.pids().isEmpty() ? Double.NaN : 100.0 * proxy / settings.clkTck() / elapsed,
                        perCall(target.pids(), proxy, calls), perCall(settings.backendPids(), backend, calls),
                        core, load.errors());
            } finally {
                for (ManagedChannel channel : channels) {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }

        /** A channel to the target that has completed one call, so a target that cannot answer fails here, clearly. */
        private ManagedChannel connected(Target target) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", target.port())
                    .usePlaintext()
                    .directExecutor()
                    .build();
            try {
                ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY,
                        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), settings.payload());
                return channel;
            } catch (StatusRuntimeException e) {
                channel.shutdownNow();
                throw new IllegalStateException(target.name() + " (127.0.0.1:" + target.port() + "): the first call "
                        + "failed with " + e.getStatus(), e);
            }
        }

        private double perCall(List<Long> pids, long ticks, long calls) {
            return pids.isEmpty() || calls == 0 ? Double.NaN : ticks * 1e6 / settings.clkTck() / calls;
        }
    }

    static String orDash(double value) {
        return Double.isNaN(value) ? "—" : String.format("%.1f", value);
    }

    /** A latency quantile of {@link LatencyHistogram} for the table. */
    static String millis(double value) {
        return Double.isInfinite(value) ? "> 1000" : Double.isNaN(value) ? "—" : String.format("%.2f", value);
    }
}
