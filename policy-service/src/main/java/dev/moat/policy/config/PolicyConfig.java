package dev.moat.policy.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** policy-service configuration, prefix {@code moat.policy}. Defaults are documented in the module README. */
@ConfigMapping(prefix = "moat.policy")
public interface PolicyConfig {

    Limits limits();

    /** Services added by the operator to the trusted-services catalog of the source document. */
    Optional<List<TrustedServiceEntry>> trustedServices();

    Propagation propagation();

    Events events();

    interface Limits {
        /** Most IP rules per vault (Azure: 127). */
        @WithDefault("127")
        int maxIpRules();

        /** Most virtual network rules per vault (Azure: 127). */
        @WithDefault("127")
        int maxVirtualNetworkRules();
    }

    interface TrustedServiceEntry {
        String name();

        String applicationId();

        @WithDefault("operator-defined")
        String scenario();
    }

    interface Propagation {
        /** How often each instance looks for changes made by other instances sharing the database. */
        @WithDefault("200ms")
        Duration pollInterval();
    }

    interface Events {
        /** Topic of {@code moat.events.v1.ChangeEvent}. */
        @WithDefault("moat.changes.v1")
        String changesTopic();

        /** Longest time an admin call waits for the Kafka producer's buffer. */
        @WithDefault("1s")
        Duration maxBlock();
    }
}
