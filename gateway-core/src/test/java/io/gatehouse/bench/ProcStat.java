package io.gatehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The CPU counters of Linux's /proc that the bench tools read, as bench/lib/measure.sh reads them. */
final class ProcStat {
    private ProcStat() {}

    /** utime + stime of these processes (all their threads), in clock ticks. */
    static long processTicks(List<Long> pids) throws IOException {
        long ticks = 0;
        for (long pid : pids) {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(") ") + 2).split(" "); // after "(comm) "
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return ticks;
    }

    /** {busy, all} clock ticks of one core since boot (busy: all but idle and iowait); {0, 0} if it has no line. */
    static long[] coreTicks(int cpu) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (line.startsWith("cpu" + cpu + " ")) {
                String[] fields = line.trim().split("\\s+");
                long all = 0;
                for (int i = 1; i < fields.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                    all += Long.parseLong(fields[i]);
                }
                return new long[] {all - Long.parseLong(fields[4]) - Long.parseLong(fields[5]), all};
            }
        }
        return new long[] {0, 0};
    }

    /** Busy % of the core between two {@link #coreTicks} readings, NaN when there is nothing to compare. */
    static double busyPercent(long[] before, long[] after) {
        long all = after[1] - before[1];
        return all <= 0 ? Double.NaN : 100.0 * (after[0] - before[0]) / all;
    }
}
