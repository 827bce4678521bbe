package dev.moat.audit.bench;

import static dev.moat.testing.bench.ProcessStats.loadAverage;
import static dev.moat.testing.bench.ProcessStats.processCpuNanos;
import static dev.moat.testing.bench.ProcessStats.processTreeCpuNanos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.google.protobuf.Timestamp;

import dev.moat.outbox.EventIds;
import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Identity;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.Result;
import dev.moat.testing.bench.CommandLine;

/**
 * audit-service ingest, measured from outside against a running broker and a running audit-service (started by
 * {@code audit-service/bench/ingest.sh}; {@code docs/benchmarks.md} has the command and the recorded figures).
 * Not a test.
 *
 * <ul>
 *   <li>{@code create-topics}: creates the decision, change and dead-letter topics.</li>
 *   <li>{@code preload} (audit-service not running yet): publishes N decision events as fast as one producer can
 *   (configured as vault-service's: acks=all, idempotent) and writes the last id and a sample of ids to a file.</li>
 *   <li>{@code drain} (started together with audit-service): samples the {@code moat_audit_events_stored_total}
 *   counter every 100 ms from the moment the service answers until the backlog is stored and the last id answers
 *   200 on {@code GET /api/v1/decisions/{id}}: the <b>sustained ingest rate</b> with nothing else running, over the
 *   steady middle (10 % to 90 % stored) and first to last, and the service's CPU per event. With
 *   {@code --resume-pid} and {@code --stored-before}, the <b>warm drain</b>: the script paused the service
 *   (SIGSTOP) after its first drain and published a second backlog; the client resumes it and measures the same way,
 *   so that the rate is the warm service's and not its start-up's.</li>
 *   <li>{@code run}, with audit-service running: <b>live bulk</b>, N more events published as fast as possible
 *   while the service consumes (producer and consumer share the CPUs), until all are stored; then <b>steady
 *   rates</b>: for each rate, events spread evenly over a fixed time, and for a sample (a fixed number per second)
 *   the lag from just before {@code send} until the query API first answers 200 for its id (probed every few
 *   milliseconds); p50/p90/p99/max, and a check that every event of the phase was stored.</li>
 * </ul>
 *
 * The events are a realistic mix of what vault-service publishes (allowed by IP rule or subnet rule, firewall
 * denials, access-policy denials, unauthenticated requests) over a number of vaults, with distinct UUID ids.
 */
public final class IngestBenchmark {

    static final String DECISIONS = "moat.decisions.v1";
    static final String CHANGES = "moat.changes.v1";
    static final String DEAD_LETTERS = "moat.audit.dlq.v1";
    private static final String STORED_METRIC = "moat_audit_events_stored_total";

    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final EventFactory events;

    private IngestBenchmark(Options options) {
        this.options = options;
        this.events = new EventFactory(new Random(7), options.vaults, options.randomIds);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw Options.usage("a command is required");
        }
        Options options = Options.parse(args);
        switch (args[0]) {
            case "create-topics" -> createTopics(options);
            case "preload" -> new IngestBenchmark(options).preload();
            case "drain" -> new IngestBenchmark(options).drain();
            case "run" -> new IngestBenchmark(options).run();
            default -> throw Options.usage("unknown command " + args[0]);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Topics
    // ---------------------------------------------------------------------------------------------------------

    private static void createTopics(Options options) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap))) {
            List<NewTopic> topics = List.of(new NewTopic(DECISIONS, options.partitions, (short) 1),
                    new NewTopic(CHANGES, 1, (short) 1), new NewTopic(DEAD_LETTERS, 1, (short) 1));
            try {
                admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            System.out.printf(Locale.ROOT, "# topics: %s with %d partition(s); %s, %s with 1%n", DECISIONS,
                    options.partitions, CHANGES, DEAD_LETTERS);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Run
    // ---------------------------------------------------------------------------------------------------------

    private void header(String what) {
        System.out.printf(Locale.ROOT, "# %s: broker %s, %d vaults, benchmark client java %s, %d CPUs, loadavg %s%n",
                what, options.bootstrap, options.vaults,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), loadAverage());
    }

    /**
     * Before audit-service runs: publishes N events as fast as possible and writes their count, the last id and a
     * sample of ids to {@code --ids-file}, for {@code drain}.
     */
    private void preload() throws Exception {
        header("preload");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            Published published = publish(producer, options.events);
            Files.write(options.idsFile, published.ids());
            System.out.printf(Locale.ROOT, "# preload: %d events published in %.1f s (%.0f events/s) while audit-service"
                    + " was not running%n", options.events, published.seconds(), options.events / published.seconds());
        }
    }

    /**
     * Started together with audit-service: samples the stored counter from the moment the service answers until
     * the preloaded backlog is stored, and reports the drain rate.
     */
    private void drain() throws Exception {
        List<String> ids = Files.readAllLines(options.idsFile);
        long total = options.events;
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
        boolean warm = options.resumePid > 0;
        if (warm) {
            resume(options.resumePid);
        }
        while (true) {
            try {
                storedCount();
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("audit-service did not answer within 120 s", e);
                }
                Thread.sleep(20);
            }
        }
        Timeline timeline = new Timeline(options.storedBefore);
        timeline.start();
        Thread.sleep(150);
        long[] firstSample = timeline.firstAtLeast(0);
        System.out.printf(Locale.ROOT, "# drain: audit-service answered %.1f s after this client %s, with %d"
                + " events of the backlog already stored%n", (System.nanoTime() - t0) / 1e9,
                warm ? "resumed it" : "started", firstSample == null ? -1 : firstSample[1]);
        boolean done = waitStored(timeline, total, ids.get(0), deadline(System.nanoTime()));
        timeline.stop();
        int missing = missing(ids);
        System.out.println();
        System.out.println(warm
                ? "Warm backlog drain: " + total + " events published while audit-service, warm from the first drain,"
                        + " was paused (SIGSTOP); then resumed on them."
                : "Backlog drain: " + total + " events waiting in Kafka, audit-service started on them.");
        System.out.println();
        System.out.println("| events | stored in (s, first to last) | ingest rate, first to last (events/s) |"
                + " ingest rate, 10-90 % (events/s) | ingest rate, 50-90 % (events/s) | audit CPU, 10-90 % (µs/event) |"
                + " store server CPU, 10-90 % (µs/event) | sampled ids found | loadavg (1 min) after |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        long[] first = timeline.firstAtLeast(1);
        long[] last = timeline.firstAtLeast(total);
        double seconds = first != null && last != null ? (last[0] - first[0]) / 1e9 : Double.NaN;
        System.out.printf(Locale.ROOT, "| %d | %.1f | %.0f | %s | %s | %s | %s | %d/%d | %s |%n", total, seconds,
                total / seconds, timeline.middleRate(total), timeline.rate(total / 2, total * 9 / 10),
                timeline.middleCpuPerEvent(total, 2),
                timeline.middleCpuPerEvent(total, 3), ids.size() - 1 - missing,
                ids.size() - 1, loadAverage().split(" ")[0]);
        if (!done || missing > 0) {
            System.exit(1);
        }
    }

    /** Sends SIGCONT to a process the script paused. */
    private static void resume(long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-CONT", Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("could not resume process " + pid);
        }
    }

    /** With audit-service running: live bulk, then the steady rates. */
    private void run() throws Exception {
        header("run, audit-service " + options.auditUrl);
        boolean ok = true;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // one event through the whole path first: connections, metadata, JIT of the first requests
            warmUp(producer);
            idle();
            if (options.events > 0) {
                ok &= live(producer);
            }
            if (options.rates.length > 0) {
                System.out.println();
                System.out.println("Steady rate: lag from send to the first 200 of GET /api/v1/decisions/{id}, for "
                        + options.samplesPerSecond + " sampled events per second, probed every "
                        + options.pollIntervalMillis + " ms.");
                System.out.println();
                System.out.println("| target rate (events/s) | achieved (events/s) | duration (s) | events | sampled |"
                        + " lag p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | all stored | audit CPU (µs/event) |"
                        + " loadavg (1 min) after |");
                System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
                for (int rate : options.rates) {
                    ok &= steady(producer, rate);
                }
            }
        }
        if (!ok) {
            System.exit(1);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "ingest-benchmark"), new StringSerializer(), new ByteArraySerializer());
    }

    private void warmUp(KafkaProducer<String, byte[]> producer) throws Exception {
        long before = storedCount();
        DecisionEvent event = events.next(Instant.now());
        producer.send(record(event)).get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (status(event.getEventId()) != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the first event was not queryable within 120 s");
            }
            Thread.sleep(50);
        }
        while (storedCount() < before + 1) {
            Thread.sleep(50);
        }
    }

    /** What audit-service costs doing nothing (consumer polls, scheduler), for the per-event CPU figures. */
    private void idle() throws InterruptedException {
        long cpu0 = processCpuNanos(options.auditPid);
        long t0 = System.nanoTime();
        Thread.sleep(5_000);
        long cpu = processCpuNanos(options.auditPid) - cpu0;
        long elapsed = System.nanoTime() - t0;
        if (cpu0 >= 0) {
            System.out.printf(Locale.ROOT, "# audit-service idle CPU (nothing published, nothing queried, 5 s): %.1f ms/s%n",
                    cpu / 1e6 / (elapsed / 1e9));
        }
    }

    /** Events published by {@link #publish}: ids (the last one first, then a sample) and how long it took. */
    private record Published(List<String> ids, double seconds) {
    }

    /** N events as fast as one producer goes, acknowledged; the last id first in the returned list, then ~200 more. */
    private Published publish(KafkaProducer<String, byte[]> producer, int count) throws Exception {
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        List<String> ids = new ArrayList<>();
        ids.add(null);
        Random pick = new Random(11);
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            DecisionEvent event = events.next(Instant.now());
            producer.send(record(event), (metadata, error) -> {
                if (error != null && failed.getAndIncrement() == 0) {
                    firstFailure.set(error);
                }
            });
            ids.set(0, event.getEventId());
            if (pick.nextInt(count) < 200) {
                ids.add(event.getEventId());
            }
        }
        producer.flush();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " sends failed, the first with " + firstFailure.get());
        }
        return new Published(ids, seconds);
    }

    private long deadline(long from) {
        return from + TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
    }

    /** Waits until the counter shows {@code total} more events and {@code lastId} is queryable; false on timeout. */
    private boolean waitStored(Timeline timeline, long total, String lastId, long deadline) throws Exception {
        boolean lastQueryable = false;
        boolean allStored = false;
        while (!(lastQueryable && allStored)) {
            if (System.nanoTime() > deadline) {
                System.out.printf(Locale.ROOT, "# not all %d events stored within %d s (stored %d, last %s)%n",
                        total, options.timeoutSeconds, storedCount() - timeline.base, lastQueryable ? "queryable" : "not");
                return false;
            }
            lastQueryable = lastQueryable || status(lastId) == 200;
            // from the sampler, so that the rates have a sample with everything stored
            allStored = allStored || timeline.firstAtLeast(total) != null;
            Thread.sleep(50);
        }
        return true;
    }

    private int missing(List<String> ids) throws Exception {
        int missing = 0;
        for (String id : ids.subList(1, ids.size())) {
            if (status(id) != 200) {
                missing++;
            }
        }
        return missing;
    }

    /** Live bulk: N events as fast as possible while audit-service consumes; time until all are stored. */
    private boolean live(KafkaProducer<String, byte[]> producer) throws Exception {
        long kafkaCpu0 = processCpuNanos(options.kafkaPid);
        long auditCpu0 = processCpuNanos(options.auditPid);
        Timeline timeline = new Timeline(storedCount());
        long t0 = System.nanoTime();
        timeline.start();
        Published published = publish(producer, options.events);
        boolean done = waitStored(timeline, options.events, published.ids().get(0), deadline(System.nanoTime()));
        long tDone = System.nanoTime();
        timeline.stop();
        long auditCpu = processCpuNanos(options.auditPid) - auditCpu0;
        long kafkaCpu = processCpuNanos(options.kafkaPid) - kafkaCpu0;
        if (!done) {
            return false;
        }
        int missing = missing(published.ids());
        double doneSeconds = (tDone - t0) / 1e9;
        System.out.println();
        System.out.println("Live bulk: " + options.events + " events published as fast as one producer goes while"
                + " audit-service consumes.");
        System.out.println();
        System.out.println("| events | published in (s) | publish rate (events/s) | all stored and last queryable after (s) |"
                + " ingest rate, whole run (events/s) | ingest rate, 10-90 % (events/s) | audit CPU (µs/event) |"
                + " Kafka CPU (µs/event) | sampled ids found | loadavg (1 min) after |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        System.out.printf(Locale.ROOT, "| %d | %.1f | %.0f | %.1f | %.0f | %s | %s | %s | %d/%d | %s |%n",
                options.events, published.seconds(), options.events / published.seconds(), doneSeconds,
                options.events / doneSeconds, timeline.middleRate(options.events), perEvent(auditCpu, options.events),
                perEvent(kafkaCpu, options.events), published.ids().size() - 1 - missing, published.ids().size() - 1,
                loadAverage().split(" ")[0]);
        return missing == 0;
    }

    /** The stored counter (minus a base) and audit-service's CPU time, sampled every 100 ms by its own thread. */
    private final class Timeline {
        final long base;
        private final List<long[]> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        Timeline(long base) {
            this.base = base;
            this.thread = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        long cpu = processCpuNanos(options.auditPid);
                        long storeCpu = processTreeCpuNanos(options.storePid);
                        long count = storedCount() - base;
                        samples.add(new long[] {System.nanoTime(), count, cpu, storeCpu});
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // a missed sample
                    }
                }
            }, "stored-sampler");
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }

        long[] firstAtLeast(long count) {
            synchronized (samples) {
                return samples.stream().filter(s -> s[1] >= count).findFirst().orElse(null);
            }
        }

        /** Events per second between the first samples with at least 10 % and 90 % of {@code total} stored. */
        String middleRate(long total) {
            return rate(total / 10, total * 9 / 10);
        }

        /** Events per second between the first samples with at least {@code from} and {@code to} stored. */
        String rate(long from, long to) {
            long[] a = firstAtLeast(from);
            long[] b = firstAtLeast(to);
            return a != null && b != null && b[0] > a[0]
                    ? String.format(Locale.ROOT, "%.0f", (b[1] - a[1]) / ((b[0] - a[0]) / 1e9)) : "n/a";
        }

        /** audit-service CPU per event over the same window. */
        String middleCpuPerEvent(long total, int cpuIndex) {
            long[] a = firstAtLeast(total / 10);
            long[] b = firstAtLeast(total * 9 / 10);
            return a != null && b != null && b[1] > a[1] && a[cpuIndex] >= 0
                    ? perEvent(b[cpuIndex] - a[cpuIndex], b[1] - a[1]) : "n/a";
        }
    }

    /** Phase 2: {@code rate} events/s for the configured time; lag from send to queryable for a sample. */
    private boolean steady(KafkaProducer<String, byte[]> producer, int rate) throws Exception {
        long base = storedCount();
        long auditCpu0 = processCpuNanos(options.auditPid);
        long total = (long) rate * options.steadySeconds;
        long sampleEvery = Math.max(1, rate / options.samplesPerSecond);
        ConcurrentLinkedQueue<Sample> newSamples = new ConcurrentLinkedQueue<>();
        Histogram lag = new Histogram(TimeUnit.SECONDS.toMicros(600), 3);
        AtomicLong timedOut = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong sendsDone = new AtomicLong(-1);

        Thread prober = new Thread(() -> probe(newSamples, lag, timedOut, sendsDone), "lag-prober");
        prober.start();

        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long t0 = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = t0 + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            DecisionEvent event = events.next(Instant.now());
            long sentAt = System.nanoTime();
            producer.send(record(event), (metadata, error) -> {
                if (error != null) {
                    failed.incrementAndGet();
                }
            });
            if (i % sampleEvery == 0) {
                newSamples.add(new Sample(event.getEventId(), sentAt));
            }
        }
        long elapsed = System.nanoTime() - t0;
        producer.flush();
        sendsDone.set(total);
        prober.join();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
        boolean allStored;
        while (!(allStored = storedCount() - base >= total) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long auditCpu = processCpuNanos(options.auditPid) - auditCpu0;
        System.out.printf(Locale.ROOT, "| %d | %.0f | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %s | %s | %s |%n",
                rate, total / (elapsed / 1e9), options.steadySeconds, total, lag.getTotalCount(),
                lag.getValueAtPercentile(50) / 1e3, lag.getValueAtPercentile(90) / 1e3,
                lag.getValueAtPercentile(99) / 1e3, lag.getMaxValue() / 1e3,
                allStored && failed.get() == 0 ? "yes" : "NO (" + (storedCount() - base) + " of " + total
                        + ", " + failed.get() + " sends failed)",
                perEvent(auditCpu, total), loadAverage().split(" ")[0]);
        if (timedOut.get() > 0) {
            System.out.println("# " + timedOut.get() + " sampled events not queryable within " + options.timeoutSeconds
                    + " s");
        }
        return allStored && failed.get() == 0 && timedOut.get() == 0;
    }

    private record Sample(String id, long sentAt) {
    }

    /**
     * Probes every pending sample, oldest first, every {@code pollIntervalMillis}, until each answered 200; returns
     * once the sender is done and nothing is pending.
     */
    private void probe(ConcurrentLinkedQueue<Sample> newSamples, Histogram lag, AtomicLong timedOut,
            AtomicLong sendsDone) {
        List<Sample> pending = new ArrayList<>();
        long giveUp = TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
        while (true) {
            Sample s;
            while ((s = newSamples.poll()) != null) {
                pending.add(s);
            }
            if (pending.isEmpty() && sendsDone.get() >= 0 && newSamples.isEmpty()) {
                return;
            }
            for (Iterator<Sample> it = pending.iterator(); it.hasNext();) {
                Sample sample = it.next();
                int status;
                try {
                    status = status(sample.id());
                } catch (Exception e) {
                    status = -1;
                }
                long now = System.nanoTime();
                if (status == 200) {
                    lag.recordValue(Math.max(1, (now - sample.sentAt()) / 1000));
                    it.remove();
                } else if (now - sample.sentAt() > giveUp) {
                    timedOut.incrementAndGet();
                    it.remove();
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(options.pollIntervalMillis));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Kafka records, HTTP, CPU
    // ---------------------------------------------------------------------------------------------------------

    /** A record exactly as vault-service publishes it: keyed by vault, CloudEvents headers. */
    static ProducerRecord<String, byte[]> record(DecisionEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", event.getEventId().getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", "dev.moat.events.v1.DecisionEvent".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "vault-service".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_time", Instant.ofEpochSecond(event.getTime().getSeconds(), event.getTime().getNanos())
                .toString().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(DECISIONS, null, event.getVault(), event.toByteArray(), headers);
    }

    private int status(String eventId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.auditUrl + "/api/v1/decisions/" + eventId))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** {@code moat_audit_events_stored_total{kind="decision"}} from the Prometheus endpoint. */
    private long storedCount() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.metricsUrl + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(STORED_METRIC + "{") && line.contains("kind=\"decision\"")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static String perEvent(long cpuNanos, long events) {
        return cpuNanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", cpuNanos / 1e3 / Math.max(1, events));
    }



    // ---------------------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------------------

    /** Decision events with the field values vault-service puts in them, in a realistic mix. */
    static final class EventFactory {
        private static final String[][] OPERATIONS = {
            {"SecretGet", "GET", "/secrets/db-password"}, {"SecretGet", "GET", "/secrets/storage-connection"},
            {"SecretSet", "PUT", "/secrets/api-key"}, {"SecretList", "GET", "/secrets"},
            {"KeySign", "POST", "/keys/signing/sign"}, {"KeyGet", "GET", "/keys/signing"},
            {"CertificateGet", "GET", "/certificates/tls-frontend"},
        };
        private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        private static final String SUBSCRIPTION = "/subscriptions/6a2b8c1e-3f4d-4e5a-9b7c-0d1e2f3a4b5c";

        private final Random random;
        private final String[] vaults;
        private final String[] objectIds = new String[50];
        private final String[] applicationIds = new String[20];

        private final boolean randomIds;

        /** @param randomIds version 4 event ids, as Moat made them before; else version 7, as it makes them now */
        EventFactory(Random random, int vaultCount, boolean randomIds) {
            this.random = random;
            this.randomIds = randomIds;
            this.vaults = new String[vaultCount];
            for (int i = 0; i < vaultCount; i++) {
                vaults[i] = String.format(Locale.ROOT, "contoso-prod-%02d", i + 1);
            }
            for (int i = 0; i < objectIds.length; i++) {
                objectIds[i] = new UUID(random.nextLong(), random.nextLong()).toString();
            }
            for (int i = 0; i < applicationIds.length; i++) {
                applicationIds[i] = new UUID(random.nextLong(), random.nextLong()).toString();
            }
        }

        DecisionEvent next(Instant time) {
            String vault = vaults[random.nextInt(vaults.length)];
            String[] op = OPERATIONS[random.nextInt(OPERATIONS.length)];
            boolean fromSubnet = random.nextInt(3) == 0;
            String subnet = SUBSCRIPTION + "/resourceGroups/app-rg/providers/Microsoft.Network/virtualNetworks/app-vnet"
                    + "/subnets/workers-" + random.nextInt(8);
            String ip = fromSubnet
                    ? "10.1." + random.nextInt(8) + "." + (4 + random.nextInt(250))
                    : "20." + (1 + random.nextInt(120)) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
            DecisionEvent.Builder event = DecisionEvent.newBuilder()
                    .setEventId(randomIds ? UUID.randomUUID().toString() : EventIds.next())
                    .setTime(Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano()))
                    .setVault(vault)
                    .setOperation(op[0])
                    .setHttpMethod(op[1])
                    .setRequestPath(op[2])
                    .setCallerIp(ip)
                    .setCorrelationId(UUID.randomUUID().toString())
                    .setDuration(com.google.protobuf.Duration.newBuilder().setNanos((1 + random.nextInt(20)) * 1_000_000))
                    .setSource("vault-service-1");
            Identity identity = Identity.newBuilder().setTenantId(TENANT)
                    .setObjectId(objectIds[random.nextInt(objectIds.length)])
                    .setApplicationId(applicationIds[random.nextInt(applicationIds.length)]).build();
            int kind = random.nextInt(100);
            if (kind < 60) { // allowed by a rule, operation ran
                event.setResult(Result.RESULT_ALLOWED).setLayer(Layer.LAYER_OPERATION)
                        .setHttpStatus(200).setIdentity(identity)
                        .setIsAddressAuthorized(true).setIsAccessPolicyMatch(true);
                if (fromSubnet) {
                    event.setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_VIRTUAL_NETWORK_RULE)
                            .setMatchedRule(subnet).setSubnetId(subnet);
                } else {
                    event.setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_IP_RULE)
                            .setMatchedRule(ip.substring(0, ip.lastIndexOf('.')) + ".0/24");
                }
            } else if (kind < 80) { // refused by the firewall
                event.setResult(Result.RESULT_DENIED).setLayer(Layer.LAYER_FIREWALL).setHttpStatus(403)
                        .setIdentity(identity).setIsAddressAuthorized(false)
                        .setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_DENIED)
                        .setReason("Client address is not authorized and caller is not a trusted service.");
                if (fromSubnet) {
                    event.setSubnetId(subnet);
                }
            } else if (kind < 90) { // refused by the access policies
                event.setResult(Result.RESULT_DENIED).setLayer(Layer.LAYER_ACCESS_POLICY).setHttpStatus(403)
                        .setIdentity(identity).setIsAddressAuthorized(true)
                        .setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_IP_RULE)
                        .setMatchedRule(ip.substring(0, ip.lastIndexOf('.')) + ".0/24")
                        .setReason("The user, group or application 'appid=" + identity.getApplicationId() + ";oid="
                                + identity.getObjectId() + "' does not have " + op[0].replace("Secret", "secrets ")
                                .replace("Key", "keys ").replace("Certificate", "certificates ").toLowerCase(Locale.ROOT)
                                + " permission on key vault '" + vault + "'.");
            } else { // no or bad token
                event.setResult(Result.RESULT_DENIED).setLayer(Layer.LAYER_AUTHENTICATION).setHttpStatus(401)
                        .setReason("The bearer token is missing or not valid.");
            }
            return event.build();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Options
    // ---------------------------------------------------------------------------------------------------------

    private static final class Options {
        String bootstrap = "127.0.0.1:9092";
        String auditUrl = "http://127.0.0.1:8082";
        /** audit-service's management interface, where {@code /q/metrics} is served. */
        String metricsUrl = "http://127.0.0.1:8092";
        int partitions = 1;
        int events = 100_000;
        int[] rates = {200, 1000};
        int steadySeconds = 30;
        int samplesPerSecond = 10;
        int pollIntervalMillis = 5;
        int vaults = 20;
        int timeoutSeconds = 600;
        /** Event ids: {@code time-ordered} (version 7, as policy-service and vault-service make them) or {@code random}. */
        boolean randomIds;
        long auditPid = -1;
        long kafkaPid = -1;
        /** The database server's main process (PostgreSQL's postmaster), measured with its children; -1: none. */
        long storePid = -1;
        Path idsFile;
        /** drain: the stored count before the backlog was published (a warm drain: the service had stored these). */
        long storedBefore;
        /** drain: a paused (SIGSTOP) audit-service to resume (SIGCONT) once the sampler runs; -1: none. */
        long resumePid = -1;

        static Options parse(String[] args) {
            Options o = new Options();
            CommandLine.eachOption(args, 1, Options::usage, (name, value) -> {
                switch (name) {
                    case "--bootstrap" -> o.bootstrap = value;
                    case "--audit-url" -> o.auditUrl = value.replaceAll("/+$", "");
                    case "--metrics-url" -> o.metricsUrl = value.replaceAll("/+$", "");
                    case "--partitions" -> o.partitions = Integer.parseInt(value);
                    case "--events" -> o.events = Integer.parseInt(value);
                    case "--rates" -> o.rates = value.isBlank() ? new int[0]
                            : java.util.Arrays.stream(value.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
                    case "--steady-seconds" -> o.steadySeconds = Integer.parseInt(value);
                    case "--samples-per-second" -> o.samplesPerSecond = Integer.parseInt(value);
                    case "--poll-interval-ms" -> o.pollIntervalMillis = Integer.parseInt(value);
                    case "--vaults" -> o.vaults = Integer.parseInt(value);
                    case "--timeout" -> o.timeoutSeconds = Integer.parseInt(value);
                    case "--audit-pid" -> o.auditPid = Long.parseLong(value);
                    case "--kafka-pid" -> o.kafkaPid = Long.parseLong(value);
                    case "--store-pid" -> o.storePid = Long.parseLong(value);
                    case "--ids-file" -> o.idsFile = Path.of(value);
                    case "--stored-before" -> o.storedBefore = Long.parseLong(value);
                    case "--resume-pid" -> o.resumePid = Long.parseLong(value);
                    case "--ids" -> o.randomIds = switch (value) {
                        case "random" -> true;
                        case "time-ordered" -> false;
                        default -> throw usage("--ids is time-ordered or random, not " + value);
                    };
                    default -> throw usage("unknown option " + name);
                }
            });
            if (o.samplesPerSecond < 1 || o.pollIntervalMillis < 1 || o.vaults < 1 || o.partitions < 1
                    || java.util.Arrays.stream(o.rates).anyMatch(r -> r < 1)) {
                throw usage("rates, samples per second, poll interval, vaults and partitions must be at least 1");
            }
            return o;
        }

        static IllegalArgumentException usage(String problem) {
            return new IllegalArgumentException(problem + "\nusage: IngestBenchmark create-topics|preload|drain|run [--bootstrap HOST:PORT]"
                    + " [--audit-url URL] [--metrics-url URL] [--partitions N] [--events N] [--rates R1,R2] [--steady-seconds S]"
                    + " [--samples-per-second N] [--poll-interval-ms MS] [--vaults N] [--ids time-ordered|random] [--timeout S] [--audit-pid PID]"
                    + " [--kafka-pid PID] [--ids-file FILE (preload, drain)] [--stored-before N --resume-pid PID (drain)]");
        }
    }
}
