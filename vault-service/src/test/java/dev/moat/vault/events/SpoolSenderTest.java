package dev.moat.vault.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Timestamp;

import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.testing.kafka.KafkaBroker;
import dev.moat.vault.config.VaultConfig.Events.Spool.Fsync;
import dev.moat.vault.events.DecisionSpool.Settings;
import dev.moat.vault.config.VaultConfig.Events.Spool.WhenFull;

/**
 * The spool and its sender against a real Kafka broker that is not there at first: events keep being accepted (each
 * within the bounded wait) while Kafka is away and across a restart of the service, and every one of them reaches the
 * topic once Kafka is up.
 */
class SpoolSenderTest {

    private static final String TOPIC = "moat.decisions.spooltest";

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicReference<String> bootstrap = new AtomicReference<>();

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Producer<String, byte[]> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private DecisionSpool startSpool() {
        DecisionSpool spool = DecisionSpool.open(dir, new Settings(10_000, WhenFull.REJECT, Fsync.ALWAYS, 16 * 1024,
                Duration.ofMillis(250)));
        SpoolSender sender = new SpoolSender(spool, this::producer, TOPIC, "vault-service").start();
        resources.add(spool);
        resources.add(sender);
        return spool;
    }

    private static DecisionEvent event(String id) {
        return DecisionEvent.newBuilder().setEventId(id).setVault("spoolvault").setOperation("SecretGet")
                .setTime(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000)).build();
    }

    /** Appends events from several threads as requests would, and returns the longest single append. */
    private static Duration publish(DecisionSpool spool, List<String> ids) throws Exception {
        ExecutorService requests = Executors.newFixedThreadPool(4);
        try {
            List<Future<Duration>> calls = new ArrayList<>();
            for (String id : ids) {
                calls.add(requests.submit(() -> {
                    long start = System.nanoTime();
                    assertThat(spool.append(spool.admit(), event(id).toByteArray())).isTrue();
                    return Duration.ofNanos(System.nanoTime() - start);
                }));
            }
            Duration longest = Duration.ZERO;
            for (Future<Duration> call : calls) {
                Duration d = call.get();
                longest = d.compareTo(longest) > 0 ? d : longest;
            }
            return longest;
        } finally {
            requests.shutdown();
        }
    }

    private static List<String> newIds(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    @Test
    void no_event_is_lost_while_kafka_is_down_nor_across_a_restart_and_all_arrive_once_kafka_is_back()
            throws Exception {
        bootstrap.set("127.0.0.1:" + unusedPort());
        DecisionSpool spool = startSpool();
        List<String> beforeRestart = newIds(150);

        Duration longest = publish(spool, beforeRestart);

        assertThat(longest).as("a request never waits on Kafka").isLessThan(Duration.ofSeconds(1));
        assertThat(spool.depth()).isEqualTo(150);

        // the service restarts while Kafka is still away
        close();
        resources.clear();
        spool = startSpool();
        assertThat(spool.depth()).isEqualTo(150);
        List<String> afterRestart = newIds(150);
        publish(spool, afterRestart);
        assertThat(spool.depth()).isEqualTo(300);

        // Kafka comes (back): a broker at another address, which the next producer the sender makes is pointed at
        KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
        resources.add(0, broker);
        bootstrap.set(broker.bootstrapServers());

        Map<String, Integer> received = new ConcurrentHashMap<>();
        List<String> order = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "spool-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    String id = DecisionEvent.parseFrom(record.value()).getEventId();
                    received.merge(id, 1, Integer::sum);
                    order.add(id);
                    assertThat(new String(record.headers().lastHeader("ce_id").value())).isEqualTo(id);
                    assertThat(record.key()).isEqualTo("spoolvault");
                }
                return received.size() >= 300;
            });
        }

        List<String> all = new ArrayList<>(beforeRestart);
        all.addAll(afterRestart);
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(all);
        DecisionSpool drained = spool;
        await().atMost(Duration.ofSeconds(10)).until(() -> drained.depth() == 0);
        assertThat(order.indexOf(afterRestart.get(0))).as("oldest first")
                .isGreaterThan(order.indexOf(beforeRestart.get(0)));
    }
}
