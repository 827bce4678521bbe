package dev.moat.system.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * End-to-end audit lag on a running local stack: data-plane requests to vault-service at a steady rate, and for
 * each one the time from sending the request to the first 200 of audit-service's {@code GET /api/v1/decisions/{id}}
 * for the decision id the response carried. Run by {@code deploy/bench/end-to-end-lag.sh}.
 *
 * <p>Requests are sent asynchronously at their scheduled times, at most 32 waiting for an answer at once (a request
 * due while 32 are pending waits for one of them and is timed from when it is sent);
 * every k-th one is timed (about 100 a second at most, so that the probes add little load), and at the end every
 * request's decision is looked up once: a missing one counts as lost.
 *
 * <p>Arguments: data-dir vault-port audit-port rate-per-second seconds
 */
public final class EndToEndLag {

    /** Most requests waiting for an answer at once (and so most connections to vault-service). */
    private static final int MAX_IN_FLIGHT = 32;

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
        // Every k-th request is timed (at most about 100 a second), so that the probes do not load audit-service
        // more than the traffic does; every request's event is checked at the end.
        int every = Math.max(1, (rate + 99) / 100);
        List<Long> lagsMicros = Collections.synchronizedList(new ArrayList<>());
        LinkedBlockingQueue<Probe> pending = new LinkedBlockingQueue<>();
        List<String> ids = Collections.synchronizedList(new ArrayList<>(total));
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger sampled = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch(total);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = 1_000_000_000L / rate;
        // Each tick sends without waiting for earlier answers, but at most MAX_IN_FLIGHT at once: beyond that every
        // request would open a new TLS connection, and the handshakes, not the requests, would load vault-service.
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        var schedule = ticker.scheduleAtFixedRate(() -> {
            int n = sent.getAndIncrement();
            if (n >= total) {
                return;
            }
            inFlight.acquireUninterruptibly();
            long start = System.nanoTime();
            https.sendAsync(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + vaultPort + "/secrets/db-password?api-version=7.5"))
                    .header("Host", vault + ".vault.localhost:" + vaultPort)
                    .header("X-Forwarded-For", n % 2 == 0 ? "203.0.113.9" : "198.51.100.1")
                    .header("Authorization", "Bearer " + dataToken).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                        String id = error == null ? response.headers().firstValue("x-moat-decision-id").orElse(null) : null;
                        if (id == null) {
                            failed.incrementAndGet();
                        } else {
                            ids.add(id);
                            if (n % every == 0) {
                                sampled.incrementAndGet();
                                pending.add(new Probe(id, start));
                            }
                        }
                        inFlight.release();
                        answered.countDown();
                    });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);

        Thread poller = new Thread(() -> {
            try {
                while (true) {
                    Probe next = pending.take();
                    if (found(http, auditPort, management, next.id())) {
                        lagsMicros.add((System.nanoTime() - next.sentNanos()) / 1000);
                    } else {
                        if (pending.isEmpty()) {
                            LockSupport.parkNanos(1_000_000); // probe a lone event about once a millisecond
                        }
                        pending.add(next);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        poller.setDaemon(true);
        poller.start();
        boolean all = answered.await(seconds + 120L, TimeUnit.SECONDS);
        schedule.cancel(false);
        ticker.shutdownNow();
        // the probes still open are counted below, so a timeout here is not an error
        whenTrueOrAfter(Duration.ofSeconds(120), Duration.ofMillis(10), () -> lagsMicros.size() >= sampled.get());
        poller.interrupt();
        int lost = (all ? 0 : (int) answered.getCount()) + failed.get() + notFound(http, auditPort, management, ids);
        int probesOpen = sampled.get() - lagsMicros.size();

        List<Long> sorted = new ArrayList<>(lagsMicros);
        Collections.sort(sorted);
        System.out.printf("| %d/s | %d s | %d | %d | %d | %s | %s | %s | %s | %s |%n", rate, seconds, total,
                sorted.size(), lost + probesOpen,
                ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(percentile(sorted, 99)),
                ms(percentile(sorted, 99.9)), ms(sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)));
    }

    private record Probe(String id, long sentNanos) {
    }

    private static boolean found(HttpClient http, int auditPort, String token, String id) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + auditPort + "/api/v1/decisions/" + id))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How many of the ids audit-service does not hold, after waiting up to a minute for the last ones. */
    private static int notFound(HttpClient http, int auditPort, String token, List<String> ids) {
        List<String> missing = Collections.synchronizedList(new ArrayList<>(ids));
        whenTrueOrAfter(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            List<String> still = missing.parallelStream().filter(id -> !found(http, auditPort, token, id)).toList();
            missing.retainAll(still);
            return missing.isEmpty();
        });
        return missing.size();
    }

    /** Polls {@code done} until it holds or {@code atMost} passed; what is still missing then is counted by the caller. */
    private static void whenTrueOrAfter(Duration atMost, Duration every, Callable<Boolean> done) {
        try {
            await().atMost(atMost).pollInterval(every).until(done);
        } catch (ConditionTimeoutException e) {
            // reported as lost or open by the caller
        }
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
