package dev.moat.testing.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the load generators report beside their latencies: the CPU time a measured process used (read from
 * {@code /proc}, so that a service in another JVM is measured from outside) and the machine's load average.
 */
public final class ProcessStats {

    /** Nanoseconds per clock tick: USER_HZ is 100 on Linux. */
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

    private ProcessStats() {
    }

    /** utime + stime of a process from /proc, in nanoseconds; -1 when unknown (no such process, no /proc). */
    public static long processCpuNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            return ticks * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The 1, 5 and 15 minute load averages, space-separated; {@code unknown} without /proc. */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
