package dev.moat.testing.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        long ticks = ticks(pid, 11, 12); // utime, stime (fields 14 and 15 of proc(5))
        return ticks < 0 ? -1 : ticks * NANOS_PER_TICK;
    }

    /**
     * CPU time of a process and all its descendants, in nanoseconds; -1 when unknown. A server that forks a process
     * per connection (PostgreSQL) is measured whole: each live process's utime + stime plus its cutime + cstime,
     * what its children that have already exited used.
     */
    public static long processTreeCpuNanos(long pid) {
        long own = ticks(pid, 11, 12, 13, 14);
        if (own < 0) {
            return -1;
        }
        long total = own;
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            total += Math.max(0, ticks(child.pid(), 11, 12, 13, 14));
        }
        return total * NANOS_PER_TICK;
    }

    /** The sum of the given fields (0-based, counted after the command) of /proc/PID/stat; -1 when unknown. */
    private static long ticks(long pid, int... fields) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] parts = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long sum = 0;
            for (int field : fields) {
                sum += Long.parseLong(parts[field]);
            }
            return sum;
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
