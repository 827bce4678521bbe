package dev.moat.audit.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of audit-service, under {@code moat.audit}. Documented with its defaults in the module README. */
@ConfigMapping(prefix = "moat.audit")
public interface AuditConfig {

    /** Who may use the query API. */
    Auth auth();

    /** How events are read from Kafka. */
    Consumer consumer();

    /** Limits of the query API. */
    Query query();

    /** How readiness probes the broker. */
    Health health();

    /** The firewall diagnosis. */
    Diagnosis diagnosis();

    /** How long events are kept. */
    Retention retention();

    /** The what-if of a rule change. */
    WhatIf whatIf();

    /** How audit-service calls policy-service (the what-if). */
    Policy policy();

    interface Auth {
        /** Whether {@code /api/v1} needs an administrator's token. Off only on test benches: the API is then open. */
        @WithDefault("true")
        boolean enabled();

        /** The token issuer's keys: an {@code https://} URL or a file path, read on first use, not at start. */
        Optional<String> jwks();

        /** PEM file of the CA that signs the JWKS server's certificate (read at each fetch); else the JVM's trust store. */
        Optional<String> jwksCa();

        /** The {@code iss} tokens must carry; {@code {tenant}} stands for the token's {@code tid}. */
        Optional<String> issuer();

        /** The {@code aud} tokens must carry (also accepted with a trailing {@code /}): the management plane's. */
        @WithDefault("https://management.localhost")
        String audience();

        /** Object ids ({@code oid}, else {@code sub}) of the callers who may read the audit trail. */
        Optional<List<String>> administrators();

        /** Leeway for {@code exp} and {@code nbf}. */
        @WithDefault("60s")
        Duration clockSkew();

        /** Shortest time between two successful JWKS fetches; a token with an unknown {@code kid} asks for one. */
        @WithDefault("30s")
        Duration jwksMinRefreshInterval();

        /** How long a JWKS fetch over HTTPS may take to connect, and then to answer. */
        @WithDefault("5s")
        Duration jwksTimeout();
    }

    interface Consumer {
        /** Topic of {@code DecisionEvent}s. */
        @WithDefault("moat.decisions.v1")
        String decisionsTopic();

        /** Topic of {@code ChangeEvent}s. */
        @WithDefault("moat.changes.v1")
        String changesTopic();

        /** Where records that cannot be stored go, with the reason in the {@code moat_dlq_reason} header. */
        @WithDefault("moat.audit.dlq.v1")
        String deadLetterTopic();

        /** How long a dead-letter send may take before the batch is retried. */
        @WithDefault("30s")
        Duration deadLetterTimeout();

        /** Consumer group shared by every audit-service instance. */
        @WithDefault("moat-audit")
        String groupId();

        /** How long one poll waits for records. */
        @WithDefault("500ms")
        Duration pollTimeout();

        /**
         * Most records stored in one database transaction. 2,000 rather than Kafka's 500: a backlog drains a quarter
         * faster (docs/benchmarks.md, "audit-service: ingest"), and a poll at a low rate returns what is there anyway.
         */
        @WithDefault("2000")
        int maxPollRecords();

        /**
         * Least data (bytes) the broker gathers before answering a fetch, unless {@link #fetchMaxWait()} passes
         * first: fewer, larger batches (each pays one commit and one offset commit) for a few ms of lag.
         */
        @WithDefault("1")
        int fetchMinBytes();

        /** Longest the broker holds a fetch back waiting for {@link #fetchMinBytes()}. */
        @WithDefault("500ms")
        Duration fetchMaxWait();

        /** First wait before retrying a batch whose store failed; doubles up to {@link #maxRetryBackoff()}. */
        @WithDefault("200ms")
        Duration retryBackoff();

        /** Longest wait between retries of a failing batch. */
        @WithDefault("10s")
        Duration maxRetryBackoff();

        /** Whether the consumer starts with the service (off only for tools and tests that drive the store directly). */
        @WithDefault("true")
        boolean enabled();
    }

    interface Query {
        /** Page size when the request names none. */
        @WithDefault("100")
        int defaultLimit();

        /** Largest page size a request may ask for. */
        @WithDefault("1000")
        int maxLimit();
    }

    interface Health {
        /** How long a broker probe may take before Kafka counts as down. */
        @WithDefault("3s")
        Duration kafkaTimeout();

        /** How long a broker probe's answer is reused, so that frequent probes do not load the broker. */
        @WithDefault("5s")
        Duration kafkaCacheFor();
    }

    interface Diagnosis {
        /** The window diagnosed when the request names no {@code from}: this long before {@code to}. */
        @WithDefault("24h")
        Duration defaultWindow();

        /** Most (client address, subnet) combinations grouped; the answer says when there were more. */
        @WithDefault("500")
        int maxGroups();
    }

    interface WhatIf {
        /** The window of traffic replayed when the request names no {@code from}: this long before {@code to}. */
        @WithDefault("7d")
        Duration defaultWindow();

        /** Origins per call to policy-service (policy-service takes at most 1000). */
        @WithDefault("1000")
        int batchSize();
    }

    interface Policy {
        /**
         * PEM (PKCS#8) RSA private key that signs audit-service's tokens for policy-service (role
         * {@code Policy.Evaluate}); policy-service trusts the matching public key. The local stack shares
         * vault-service's internal key. Absent: calls carry no token, which a policy-service with authentication on
         * refuses (the what-if then answers 503).
         */
        Optional<String> signingKeyLocation();

        /** {@code iss} of those tokens; policy-service's {@code moat.policy.auth.issuer}. */
        @WithDefault("moat")
        String issuer();

        /** {@code aud} of those tokens; policy-service's {@code moat.policy.auth.audience}. */
        @WithDefault("moat-policy")
        String audience();

        /** Lifetime of a token; a new one is minted when less than half of it is left. */
        @WithDefault("10m")
        Duration tokenLifetime();

        /** Deadline of one call. */
        @WithDefault("10s")
        Duration deadline();
    }

    interface Retention {
        /** Days a decision event is kept, by its event time; 0 keeps them forever. */
        @WithDefault("90")
        int decisionDays();

        /** Days a change event is kept, by its event time; 0 keeps them forever. */
        @WithDefault("365")
        int changeDays();

        /** How often the purge runs. */
        @WithDefault("1h")
        Duration purgeInterval();

        /** Rows deleted per transaction, so that a large purge does not hold long locks. */
        @WithDefault("1000")
        int purgeBatchSize();
    }
}
