package dev.moat.testing.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM.
 * The one place in Moat's tests that starts a broker: no mocks, no Docker. A handle on a started broker: its log
 * directory, its loopback listener port and the server, which {@link #close} stops; made by {@link #start}.
 */
public record KafkaBroker(Path logDir, int port, KafkaRaftServer server) implements AutoCloseable {

    /**
     * Formats a fresh log directory under {@code parent}, starts the broker on free loopback ports and waits until it
     * serves. The ports are free when chosen but not held until the broker binds them, so another process may take one
     * in between: a start that fails is shut down and tried again, on new ports and a new directory, up to
     * {@value #ATTEMPTS} times.
     */
    public static KafkaBroker start(Path parent) {
        IllegalStateException failure = new IllegalStateException("Kafka broker did not start");
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return startOnce(parent);
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    private static final int ATTEMPTS = 3;

    private static KafkaBroker startOnce(Path parent) throws Exception {
        Files.createDirectories(parent);
        Path logDir = Files.createTempDirectory(parent, "kafka-");
        int port = freePort();
        int controllerPort = freePort();
        if (controllerPort == port) {
            throw new IllegalStateException("the system offered port " + port + " twice");
        }
        Properties props = brokerProperties(logDir, port, controllerPort);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        new Formatter()
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir.toString())
                .setDirectories(List.of(logDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .run();
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        KafkaBroker broker = new KafkaBroker(logDir, port, server);
        try {
            server.startup();
            broker.awaitReady(Duration.ofSeconds(60));
            return broker;
        } catch (Exception | Error e) {
            try {
                broker.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Starts a broker under {@code java.io.tmpdir} (which the build points into target/). */
    public static KafkaBroker start() {
        return start(Path.of(System.getProperty("java.io.tmpdir")));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates topics with one partition each (or the given count), waiting for completion. */
    public void createTopics(int partitions, String... names) {
        try (Admin admin = admin()) {
            admin.createTopics(java.util.Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics", e);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    private void awaitReady(Duration timeout) throws Exception {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
