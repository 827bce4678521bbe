package dev.moat.system.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end audit lag on a running local stack: data-plane requests to vault-service at a steady rate, and for
 * each one the time from sending the request to the first 200 of audit-service's {@code GET /api/v1/decisions/{id}}
 * for the decision id the response carried. Run by {@code deploy/bench/end-to-end-lag.sh}.
 *
 * <p>Arguments: data-dir vault-port audit-port rate-per-second seconds
 */
public final class EndToEndLag {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int vaultPort = Integer.parseInt(args[1]);
        int auditPort = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        BenchStack stack = BenchStack.of(data, vaultPort);
        HttpClient https = stack.https();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        String management = stack.token("ADMIN", "https://management.localhost/.default");
        String vault = "lag" + System.currentTimeMillis() % 100000;
        stack.putVault(vault, management, ("\"accessPolicies\":[{\"tenantId\":\"%s\",\"objectId\":\"%s\","
                + "\"permissions\":{\"secrets\":[\"get\"]}}],\"networkAcls\":{\"defaultAction\":\"Deny\","
                + "\"bypass\":\"None\",\"ipRules\":[{\"value\":\"203.0.113.0/24\"}]}")
                .formatted(stack.tenant(), stack.credentials().get("MOAT_APP_OBJECT_ID")));
        String dataToken = stack.token("APP", "https://vault.localhost:" + vaultPort + "/.default");

        int total = rate * seconds;
        List<Long> lagsMicros = Collections.synchronizedList(new ArrayList<>());
        ConcurrentLinkedQueue<long[]> pending = new ConcurrentLinkedQueue<>();
        Map<Long, String> ids = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        ScheduledExecutorService senders = Executors.newScheduledThreadPool(4);
        long periodNanos = 1_000_000_000L / rate;
        var schedule = senders.scheduleAtFixedRate(() -> {
            int n = sent.getAndIncrement();
            if (n >= total) {
                return;
            }
            long start = System.nanoTime();
            try {
                HttpResponse<Void> response = https.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + vaultPort + "/secrets/db-password?api-version=7.5"))
                        .header("Host", vault + ".vault.localhost:" + vaultPort)
                        .header("X-Forwarded-For", n % 2 == 0 ? "203.0.113.9" : "198.51.100.1")
                        .header("Authorization", "Bearer " + dataToken).GET().build(), HttpResponse.BodyHandlers.discarding());
                String id = response.headers().firstValue("x-moat-decision-id").orElseThrow();
                ids.put((long) n, id);
                pending.add(new long[] {n, start});
            } catch (Exception e) {
                failed.incrementAndGet();
                done.countDown();
            }
        }, 0, periodNanos, TimeUnit.NANOSECONDS);

        Thread poller = new Thread(() -> {
            while (done.getCount() > 0) {
                long[] next = pending.poll();
                if (next == null) {
                    Thread.onSpinWait();
                    continue;
                }
                try {
                    int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + auditPort
                            + "/api/v1/decisions/" + ids.get(next[0]))).header("Authorization", "Bearer " + management)
                            .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) {
                        lagsMicros.add((System.nanoTime() - next[1]) / 1000);
                        done.countDown();
                    } else {
                        pending.add(next);
                    }
                } catch (Exception e) {
                    pending.add(next);
                }
            }
        });
        poller.setDaemon(true);
        poller.start();
        boolean all = done.await(seconds + 120L, TimeUnit.SECONDS);
        schedule.cancel(false);
        senders.shutdownNow();

        List<Long> sorted = new ArrayList<>(lagsMicros);
        Collections.sort(sorted);
        System.out.printf("| %d/s | %d s | %d | %d | %s | %s | %s | %s | %s |%n", rate, seconds, sorted.size(),
                failed.get() + (all ? 0 : (int) done.getCount()),
                ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(percentile(sorted, 99)),
                ms(percentile(sorted, 99.9)), ms(sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)));
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static String ms(long micros) {
        return String.format("%.1f ms", micros / 1000.0);
    }

    private EndToEndLag() {
    }
}
