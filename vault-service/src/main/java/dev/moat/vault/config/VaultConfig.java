package dev.moat.vault.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** vault-service configuration, prefix {@code moat.vault}. Defaults are documented in the module README. */
@ConfigMapping(prefix = "moat.vault")
public interface VaultConfig {

    /** Parent domain of vault hosts: a vault named {@code v} is served at {@code v.<dnsSuffix>}. */
    @WithDefault("vault.localhost")
    String dnsSuffix();

    /** Name of this instance in events; defaults to the host name. */
    Optional<String> instanceId();

    Firewall firewall();

    Events events();

    interface Firewall {
        /** How long a data-plane request waits for policy-service before it is refused with 503 (fail closed). */
        @WithDefault("500ms")
        Duration deadline();

        /**
         * Peers whose {@code X-Forwarded-For} is believed (IPv4 addresses or CIDR ranges). Empty: the TCP peer is
         * the client, whatever the headers say.
         */
        Optional<List<String>> trustedProxies();
    }

    interface Events {
        /** Topic of {@code moat.events.v1.DecisionEvent}. */
        @WithDefault("moat.decisions.v1")
        String decisionsTopic();

        /** Longest time a request may wait for the producer's buffer before the event is given up on. */
        @WithDefault("250ms")
        Duration maxBlock();
    }
}
