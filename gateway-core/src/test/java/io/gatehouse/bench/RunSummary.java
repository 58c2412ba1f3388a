package io.gatehouse.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** The closing table of {@link GrpcEchoLoad}: per target, medians over its rounds, and the rate relative to the first. */
final class RunSummary {
    private RunSummary() {}

    static void print(List<GrpcEchoLoad.Target> targets, List<GrpcEchoLoad.Run> runs) {
        System.out.println();
        System.out.println("Medians over the rounds (min – max of calls/s); vs " + targets.get(0).name()
                + ": median calls/s over its median.");
        System.out.println();
        System.out.println("| target | calls/s (min – max) | vs " + targets.get(0).name() + " | p50 ms | p99 ms "
                + "| proxy CPU µs/call | backend CPU µs/call | load-gen core % | errors |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        double first = Double.NaN;
        for (GrpcEchoLoad.Target target : targets) {
            List<GrpcEchoLoad.Run> mine = runs.stream().filter(run -> run.target().equals(target)).toList();
            double rate = median(mine, GrpcEchoLoad.Run::rate);
            if (Double.isNaN(first)) {
                first = rate;
            }
            System.out.printf("| %s | %,.0f (%,.0f – %,.0f) | %.2f | %s | %s | %s | %s | %s | %d |%n", target.name(),
                    rate,
                    mine.stream().mapToDouble(GrpcEchoLoad.Run::rate).min().orElse(Double.NaN),
                    mine.stream().mapToDouble(GrpcEchoLoad.Run::rate).max().orElse(Double.NaN), rate / first,
                    GrpcEchoLoad.millis(median(mine, GrpcEchoLoad.Run::p50)),
                    GrpcEchoLoad.millis(median(mine, GrpcEchoLoad.Run::p99)),
                    GrpcEchoLoad.orDash(median(mine, GrpcEchoLoad.Run::proxyMicrosPerCall)),
                    GrpcEchoLoad.orDash(median(mine, GrpcEchoLoad.Run::backendMicrosPerCall)),
                    GrpcEchoLoad.orDash(median(mine, GrpcEchoLoad.Run::loadgenCorePercent)),
                    mine.stream().mapToLong(GrpcEchoLoad.Run::errors).sum());
        }
    }

    /** The median of the values (NaN ones, i.e. not measured, left out); NaN when none is left. */
    static double median(List<GrpcEchoLoad.Run> runs, ToDoubleFunction<GrpcEchoLoad.Run> value) {
        double[] sorted = runs.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
