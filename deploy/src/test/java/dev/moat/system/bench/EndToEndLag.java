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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * End-to-end audit lag on a running local stack: data-plane requests to vault-service at a steady rate, and for
 * each one the time from sending the request to the first 200 of audit-service's {@code GET /api/v1/decisions/{id}}
 * for the decision id the response carried. Run by {@code deploy/bench/end-to-end-lag.sh}.
 *
 * <p>Requests are sent asynchronously at their scheduled times, at most 32 waiting for an answer at once (a request
 * due while 32 are pending waits for one of them and is timed from when it is sent);
 * every k-th one is timed (about 25 a second at most), and at the end every request's decision is looked up once: a
 * missing one counts as lost. A timed request's decision is first looked up 50 ms after its answer, then every 50 ms
 * until found, by two threads: the lag is an upper bound by at most that interval plus a look-up's round trip. (One
 * thread looking up 100 probes a second in turn, as before, could not keep up once the machine was saturated: its
 * queue, not audit-service, made most of the lag.)
 *
 * <p>With audit-service's management port, it also prints what audit-service itself measured for the decisions
 * stored during the run: its {@code moat_audit_events_delay_seconds} histogram (from each decision's own time to the
 * commit that made it queryable, for every event, without the probes' polling), scraped before and after.
 *
 * <p>Arguments: data-dir vault-port audit-port rate-per-second seconds [audit-management-port]
 */
public final class EndToEndLag {

    /** Most requests waiting for an answer at once (and so most connections to vault-service). */
    private static final int MAX_IN_FLIGHT = 32;

    /** How long after its answer, and then how often, a timed request's decision is looked up. */
    private static final long PROBE_INTERVAL_MILLIS = 50;

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int vaultPort = Integer.parseInt(args[1]);
        int auditPort = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        Integer auditManagementPort = args.length > 5 ? Integer.valueOf(args[5]) : null;
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
        // Every k-th request is timed (at most about 25 a second), so that the look-ups do not load audit-service
        // more than the traffic does; every request's event is checked at the end.
        int every = Math.max(1, (rate + 24) / 25);
        List<Long> lagsMicros = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService poller = Executors.newScheduledThreadPool(2);
        List<String> ids = Collections.synchronizedList(new ArrayList<>(total));
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger sampled = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch(total);
        DelayHistogram delaysBefore = auditManagementPort == null ? null : DelayHistogram.scrape(http, auditManagementPort);
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
                                probe(poller, http, auditPort, management, new Probe(id, start), lagsMicros);
                            }
                        }
                        inFlight.release();
                        answered.countDown();
                    });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);

        boolean all = answered.await(seconds + 120L, TimeUnit.SECONDS);
        schedule.cancel(false);
        ticker.shutdownNow();
        // the probes still open are counted below, so a timeout here is not an error
        whenTrueOrAfter(Duration.ofSeconds(120), Duration.ofMillis(10), () -> lagsMicros.size() >= sampled.get());
        poller.shutdownNow();
        int lost = (all ? 0 : (int) answered.getCount()) + failed.get() + notFound(http, auditPort, management, ids);
        int probesOpen = sampled.get() - lagsMicros.size();

        List<Long> sorted = new ArrayList<>(lagsMicros);
        Collections.sort(sorted);
        System.out.printf("| %d/s | %d s | %d | %d | %d | %s | %s | %s | %s | %s |%n", rate, seconds, total,
                sorted.size(), lost + probesOpen,
                ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(percentile(sorted, 99)),
                ms(percentile(sorted, 99.9)), ms(sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)));
        if (auditManagementPort != null) {
            DelayHistogram stored = DelayHistogram.scrape(http, auditManagementPort).minus(delaysBefore);
            System.out.printf("|   audit-service's own delay | | %.0f stored | | | ≤ %s | ≤ %s | ≤ %s | %.2f %% within 1 s | |%n",
                    stored.count(), seconds(stored.percentile(50)), seconds(stored.percentile(90)),
                    seconds(stored.percentile(99)), 100 * stored.shareWithin(1.0));
        }
    }

    private static String seconds(double bound) {
        return Double.isInfinite(bound) ? "∞" : String.format("%.0f ms", bound * 1000);
    }

    private record Probe(String id, long sentNanos) {
    }

    /** Looks the probe's decision up in 50 ms, and again every 50 ms until found; then records its lag. */
    private static void probe(ScheduledExecutorService poller, HttpClient http, int auditPort, String token,
            Probe probe, List<Long> lagsMicros) {
        poller.schedule(() -> {
            if (found(http, auditPort, token, probe.id())) {
                lagsMicros.add((System.nanoTime() - probe.sentNanos()) / 1000);
            } else {
                probe(poller, http, auditPort, token, probe, lagsMicros);
            }
        }, PROBE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
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
