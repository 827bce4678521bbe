import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What one forced 400-byte record costs on the device under a directory, appended to a file's end against written
 * over zeros already on the device (the decision spool writes its active segment with zeros ahead of its records).
 * Each mode twice, alternately, one record and one {@code fdatasync} ({@code FileChannel.force(false)}) per
 * millisecond:
 *
 * <pre>java deploy/bench/FsyncProbe.java DIRECTORY RECORDS</pre>
 *
 * Run it once on an idle machine and once while the stack serves load (for example the request-path benchmark's
 * allowed read with wrk on 32 connections), with DIRECTORY on the same file system as the stack's data directory.
 */
public class FsyncProbe {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        for (String mode : new String[] {"append", "over zeros", "append", "over zeros"}) {
            Path file = Files.createTempFile(dir, "fsync-probe-", ".log");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                if (mode.equals("over zeros")) {
                    ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
                    for (int i = 0; i < 8; i++) {
                        zeros.clear();
                        while (zeros.hasRemaining()) {
                            channel.write(zeros);
                        }
                    }
                    channel.force(true);
                    channel.position(0);
                }
                long[] nanos = new long[n];
                ByteBuffer record = ByteBuffer.allocate(400);
                CountDownLatch left = new CountDownLatch(n);
                UncheckedIOException[] failure = new UncheckedIOException[1];
                // one record a millisecond, on a fixed schedule (a sync that overruns delays the next one)
                ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
                clock.scheduleAtFixedRate(() -> {
                    int i = n - (int) left.getCount();
                    try {
                        record.clear();
                        record.putLong(0, i + 1);
                        while (record.hasRemaining()) {
                            channel.write(record);
                        }
                        long start = System.nanoTime();
                        channel.force(false);
                        nanos[i] = System.nanoTime() - start;
                    } catch (IOException e) {
                        failure[0] = new UncheckedIOException(e);
                        while (left.getCount() > 0) {
                            left.countDown();
                        }
                    }
                    left.countDown();
                    if (left.getCount() == 0) {
                        clock.shutdown();
                    }
                }, 0, 1, TimeUnit.MILLISECONDS);
                left.await();
                clock.shutdown();
                clock.awaitTermination(1, TimeUnit.MINUTES);
                if (failure[0] != null) {
                    throw failure[0];
                }
                Arrays.sort(nanos);
                System.out.printf("%-10s fdatasync p50 %5.0f us  p90 %6.0f us  p99 %6.0f us%n", mode,
                        nanos[n / 2] / 1e3, nanos[n * 9 / 10] / 1e3, nanos[n * 99 / 100] / 1e3);
            } finally {
                Files.delete(file);
            }
        }
    }
}
