package dev.moat.audit.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

import io.smallrye.common.annotation.Identifier;

import dev.moat.audit.config.AuditConfig;

/**
 * Asks the Kafka cluster for its brokers, within a timeout, and reuses the answer for a short while so that
 * frequent readiness probes do not load the broker.
 */
@ApplicationScoped
public class BrokerProbe {

    /** The broker's answer: reachable with this many brokers, or not, and why. */
    public record Result(boolean reachable, int brokers, String problem, Instant at) {
    }

    private final Map<String, Object> kafka;
    private final Duration timeout;
    private final Duration cacheFor;
    private final Clock clock = Clock.systemUTC();
    private Admin admin;
    private Result last;

    @Inject
    BrokerProbe(@Identifier("default-kafka-broker") Map<String, Object> kafka, AuditConfig config) {
        this(kafka, config.health().kafkaTimeout(), config.health().kafkaCacheFor());
    }

    public BrokerProbe(Map<String, Object> kafka, Duration timeout, Duration cacheFor) {
        this.kafka = kafka;
        this.timeout = timeout;
        this.cacheFor = cacheFor;
    }

    public synchronized Result probe() {
        Instant now = clock.instant();
        if (last != null && last.at().plus(cacheFor).isAfter(now)) {
            return last;
        }
        try {
            Collection<Node> nodes = admin().describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            last = new Result(!nodes.isEmpty(), nodes.size(), nodes.isEmpty() ? "the cluster has no broker" : null, now);
        } catch (ExecutionException e) {
            last = new Result(false, 0, String.valueOf(e.getCause()), now);
        } catch (TimeoutException e) {
            last = new Result(false, 0, "no answer within " + timeout.toMillis() + " ms", now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, 0, "interrupted", now);
        }
        return last;
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> properties = new HashMap<>(kafka);
            int millis = (int) Math.max(1, timeout.toMillis());
            properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
            properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
            properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "moat-audit-health");
            admin = Admin.create(properties);
        }
        return admin;
    }

    @PreDestroy
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
