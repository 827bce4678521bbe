import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What one hand-off costs when the machine is otherwise idle: a lone request is passed between threads (Vert.x's
 * event loop, a worker, gRPC's event loop, the spool's writer) and processes (vault-service, policy-service) several
 * times, and each pass wakes a parked thread, often on an idle CPU. Two round trips, each twice, alternately, one a
 * millisecond on a fixed schedule:
 *
 * <ul>
 * <li>thread: {@code LockSupport.unpark} of a parked thread, which unparks the sender back (two wakes);
 * <li>loopback: one byte over a kept TCP connection on 127.0.0.1 to a thread that echoes it (two wakes through the
 * kernel's network stack, as between vault-service and policy-service).
 * </ul>
 *
 * <pre>java deploy/bench/WakeProbe.java ROUND_TRIPS</pre>
 *
 * It prints the guest's idle-polling setting beside the figures (on a KVM guest the {@code haltpoll} cpuidle driver
 * polls up to {@code guest_halt_poll_ns} before it halts an idle vCPU; 0 halts at once, so every wake of an idle vCPU
 * goes through the hypervisor).
 */
public class WakeProbe {

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        System.out.println("cpuidle driver: " + read("/sys/devices/system/cpu/cpuidle/current_driver")
                + ", haltpoll guest_halt_poll_ns: " + read("/sys/module/haltpoll/parameters/guest_halt_poll_ns"));
        System.out.println();
        System.out.println("| round trip | n | p50 | p90 | p99 |");
        System.out.println("|---|---:|---:|---:|---:|");
        try (Echo echo = new Echo()) {
            for (int pass = 0; pass < 2; pass++) {
                try (ThreadPingPong ping = new ThreadPingPong()) {
                    report("thread: unpark and back", timed(n, ping));
                }
                report("loopback TCP: one byte and back", timed(n, echo::roundTrip));
            }
        }
    }

    /** Runs {@code n} round trips, one a millisecond, and returns each one's nanoseconds. */
    private static long[] timed(int n, Runnable roundTrip) throws InterruptedException {
        long[] nanos = new long[n];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        clock.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i >= n) {
                return;
            }
            long start = System.nanoTime();
            roundTrip.run();
            nanos[i] = System.nanoTime() - start;
            done.countDown();
        }, 1, 1, TimeUnit.MILLISECONDS);
        done.await();
        clock.shutdownNow();
        return nanos;
    }

    private static void report(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("| %s | %d | %s | %s | %s |%n", name, sorted.length, micros(sorted, 0.50),
                micros(sorted, 0.90), micros(sorted, 0.99));
    }

    private static String micros(long[] sorted, double quantile) {
        return String.format("%.0f µs", sorted[(int) Math.min(sorted.length - 1, sorted.length * quantile)] / 1000.0);
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "(not readable: " + file + ")";
        }
    }

    /** A partner thread parked until unparked; it unparks the caller back. */
    private static final class ThreadPingPong implements Runnable, AutoCloseable {
        private final Thread partner;
        private volatile Thread caller;
        private volatile boolean asked;
        private volatile boolean answered;
        private volatile boolean stopped;

        ThreadPingPong() {
            partner = new Thread(() -> {
                while (!stopped) {
                    if (asked) {
                        asked = false;
                        answered = true;
                        LockSupport.unpark(caller);
                    } else {
                        LockSupport.park(this);
                    }
                }
            }, "wake-probe-partner");
            partner.setDaemon(true);
            partner.start();
        }

        @Override
        public void run() {
            caller = Thread.currentThread();
            answered = false;
            asked = true;
            LockSupport.unpark(partner);
            while (!answered) {
                LockSupport.park(this);
            }
        }

        @Override
        public void close() {
            stopped = true;
            LockSupport.unpark(partner);
        }
    }

    /** A loopback TCP connection to a thread that echoes each byte. */
    private static final class Echo implements AutoCloseable {
        private final ServerSocket server;
        private final Socket client;
        private final InputStream in;
        private final OutputStream out;

        Echo() throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread echo = new Thread(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.setTcpNoDelay(true);
                    InputStream from = accepted.getInputStream();
                    OutputStream to = accepted.getOutputStream();
                    int b;
                    while ((b = from.read()) >= 0) {
                        to.write(b);
                        to.flush();
                    }
                } catch (IOException e) {
                    // the client closed the connection
                }
            }, "wake-probe-echo");
            echo.setDaemon(true);
            echo.start();
            client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            client.setTcpNoDelay(true);
            in = client.getInputStream();
            out = client.getOutputStream();
        }

        void roundTrip() {
            try {
                out.write(1);
                out.flush();
                if (in.read() < 0) {
                    throw new IOException("the echo closed the connection");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            client.close();
            server.close();
        }
    }
}
