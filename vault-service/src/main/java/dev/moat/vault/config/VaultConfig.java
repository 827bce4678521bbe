package dev.moat.vault.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** vault-service configuration, prefix {@code moat.vault}. Defaults are documented in the module README. */
@ConfigMapping(prefix = "moat.vault")
public interface VaultConfig {

    /** Parent domain of vault hosts: a vault named {@code v} is served at {@code v.<dnsSuffix>}. */
    @WithDefault("vault.localhost")
    String dnsSuffix();

    /**
     * Host names (without port) of the bare host that serves the management plane and the token endpoint.
     * Any other host that is not a vault host gets Key Vault's 404.
     */
    @WithDefault("localhost,127.0.0.1")
    List<String> managementHosts();

    /**
     * The port clients use to reach this service, when it differs from the port it listens on (behind a proxy or a
     * port mapping). Empty: the port the request arrived on. It goes into the challenge's {@code resource}, the
     * data-plane audience and the built-in issuer's {@code iss}.
     */
    Optional<Integer> publicPort();

    /** Name of this instance in events; defaults to the host name. */
    Optional<String> instanceId();

    Tls tls();

    Auth auth();

    TokenIssuer tokenIssuer();

    Management management();

    Firewall firewall();

    Events events();

    Crypto crypto();

    Secrets secrets();

    Certificates certificates();

    HttpLimits httpLimits();

    /**
     * The sizes of a request above which vault-service refuses it before any check, in Key Vault's error JSON (414,
     * 431) with a decision event on a vault host. The HTTP codec's own limits
     * ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}, {@code max-header-list-size}) are
     * set higher, as a ceiling: beyond it the codec answers by itself (no body, no event). The body's limit is
     * {@code quarkus.http.limits.max-body-size}, answered the same way when {@code Content-Length} announces more.
     */
    interface HttpLimits {
        /** The request line ({@code GET /secrets/s?api-version=7.5 HTTP/1.1}), in bytes: above it, 414. */
        @WithDefault("8K")
        MemorySize maxRequestLine();

        /** All header lines together (names, values, separators), in bytes: above it, 431. */
        @WithDefault("20K")
        MemorySize maxHeaderSize();
    }

    interface Crypto {
        /**
         * File holding the master key: the base64 of 32 random bytes. Exclusive with the environment variable
         * {@code MOAT_MASTER_KEY}, which holds the same.
         */
        Optional<String> masterKeyFile();

        /**
         * With neither a key file nor {@code MOAT_MASTER_KEY}: generate a key once in
         * {@code ${moat.data-dir}/vault/crypto/master.key} (0600) and use it. Only for local use (the local stack sets
         * it); without it the service refuses to start.
         */
        @WithDefault("false")
        boolean generateMasterKey();

        /**
         * Files of further master keys (same format), which open the data keys and backups they wrapped or sealed
         * but wrap nothing new: during a rotation, the new key before every replica holds it, then the old key until
         * no data key needs it (docs/adr/0018-master-key-rotation.md).
         */
        Optional<List<String>> additionalMasterKeyFiles();

        /**
         * How often each replica records which master keys it holds and, once every live replica has the same
         * primary key, re-wraps the data keys still under another key (a batch of vaults at a time, each once
         * across replicas).
         */
        @WithDefault("30s")
        Duration rewrapInterval();
    }

    interface Secrets {
        /** How often soft-deleted secrets whose {@code scheduledPurgeDate} has passed are purged. */
        @WithDefault("1h")
        Duration purgeInterval();
    }

    interface Certificates {
        /**
         * How often pending certificate creates that no replica is working on (left by a stop, or by a replica that
         * died) are finished.
         */
        @WithDefault("10s")
        Duration pendingInterval();
    }

    interface Tls {
        /**
         * PEM certificate chain to serve. Empty (with {@link #keyFile()} empty too): a local CA and a server
         * certificate are generated on first start under {@code ${moat.data-dir}/vault/tls/}.
         */
        Optional<String> certFile();

        /** PEM private key of {@link #certFile()}. */
        Optional<String> keyFile();
    }

    interface Auth {
        /**
         * Tenant named in the challenge's {@code authorization} URL: the SDK asks for tokens in this tenant, so it
         * should be the tenant its clients are configured with (azure-compat.md section 1.2).
         */
        @WithDefault("00000000-0000-0000-0000-00000000c0de")
        String tenantId();

        /**
         * Authority in the challenge's {@code authorization} URL (without the tenant). Empty: the bare host,
         * {@code https://localhost[:port]}, where the built-in issuer answers.
         */
        Optional<String> authority();

        /** Audience of management-plane tokens. */
        @WithDefault("https://management.localhost")
        String managementAudience();

        /** Leeway for {@code exp} and {@code nbf}. */
        @WithDefault("60s")
        Duration clockSkew();

        /**
         * Further token issuers whose tokens are accepted (Entra ID, Keycloak, ...), by any name. The built-in issuer
         * is trusted whenever it is enabled.
         */
        Map<String, Issuer> issuers();

        interface Issuer {
            /**
             * Expected {@code iss}; {@code {tenant}} stands for the token's {@code tid}, for example
             * {@code https://login.microsoftonline.com/{tenant}/v2.0}.
             */
            String issuer();

            /** JWKS of the issuer: an {@code https://} URL, or the path of a JSON file. */
            String jwks();
        }
    }

    interface TokenIssuer {
        /** Serves {@code POST /{tenant}/oauth2/v2.0/token} on the bare host. Off by default; on in the local stack. */
        @WithDefault("false")
        boolean enabled();

        /** Lifetime of issued tokens. */
        @WithDefault("1h")
        Duration tokenLifetime();

        /**
         * PEM file of the issuer's RSA signing key (PKCS#8 or PKCS#1), shared by every replica. Empty: generated on
         * first use in {@code ${moat.data-dir}/vault/issuer/signing-key.pem} (one replica only).
         */
        Optional<String> signingKeyFile();

        /** Registered clients, by client (application) id. */
        Map<String, Client> clients();

        Throttle throttle();

        /** Failed client authentications at the token endpoints ({@code issuer.ClientAuthenticationThrottle}). */
        interface Throttle {
            /** Failures of one client id from one source address within {@link #window()} before 429. */
            @WithDefault("20")
            int maxFailuresPerClientAndAddress();

            /** Failures from one source address (any client id) within {@link #window()} before 429. */
            @WithDefault("100")
            int maxFailuresPerAddress();

            /** The sliding window the failures are counted in. */
            @WithDefault("1m")
            Duration window();
        }

        /**
         * People who sign in at {@code /{tenant}/oauth2/v2.0/authorize} (the console's sign-in), by user name. Their
         * tokens carry the user's {@code oid}, so access policies and the audit trail name the person.
         */
        Map<String, User> users();

        /**
         * Clients that sign people in with the authorization code grant and PKCE (S256), by client id. They are
         * public clients (no secret): the code is bound to the client's {@code code_verifier} and redirect URI.
         */
        Map<String, SignInClient> signInClients();

        /** Lifetime of the refresh tokens issued with the authorization code grant. */
        @WithDefault("8h")
        Duration refreshTokenLifetime();

        /** Whom the issuer's tokens name: a user, or a client's service principal. */
        interface Principal {
            /** Object id (the token's {@code oid} and {@code sub}). */
            String objectId();

            /** Display name: a user's is the ID token's {@code name}; a client's is for logs. */
            Optional<String> displayName();

            /** Tenant; defaults to {@code moat.vault.auth.tenant-id}. */
            Optional<String> tenantId();
        }

        interface User extends Principal {
            /**
             * The password's hash, {@code pbkdf2-sha256:<iterations>:<salt, base64>:<hash, base64>} only (the
             * {@code sha256:} form of machine clients is refused for passwords people choose).
             */
            String passwordHash();
        }

        interface SignInClient {
            /** Where the authorization code may be sent, compared exactly (scheme, host, port and path). */
            List<String> redirectUris();

            /** Display name, shown on the sign-in page. */
            Optional<String> displayName();
        }

        interface Client extends Principal {
            /**
             * The client secret's hash: {@code pbkdf2-sha256:<iterations>:<salt, base64>:<hash, base64>}. Generate
             * one with {@code java -cp quarkus-app/app/... dev.moat.vault.issuer.SecretHash <secret>} (see README).
             */
            String secretHash();
        }
    }

    interface Management {
        /**
         * Object ids of administrators: they may read and change every vault and every virtual network. Any other
         * authenticated caller may create vaults, and reads and changes the vaults it created (their owner).
         */
        Optional<List<String>> administrators();

        /**
         * Object ids of readers (ARM's Reader role): they may read every vault and virtual network, and change none.
         */
        Optional<List<String>> readers();

        /**
         * The subscription that {@code GET /subscriptions} lists (what {@code az login} signs in to). Vault and
         * network paths take any subscription id; this one is the default a client picks.
         */
        @WithDefault("00000000-0000-0000-0000-000000000001")
        String subscriptionId();

        /** The listed subscription's {@code displayName}. */
        @WithDefault("Moat")
        String subscriptionName();
    }

    interface Firewall {
        /** How long a data-plane request waits for policy-service before it is refused with 503 (fail closed). */
        @WithDefault("500ms")
        Duration deadline();

        /** How long a management call waits for policy-service's admin API. */
        @WithDefault("5s")
        Duration adminDeadline();

        /**
         * Peers whose {@code X-Forwarded-For} is believed (IPv4 addresses or CIDR ranges). Empty: the TCP peer is
         * the client, whatever the headers say.
         */
        Optional<List<String>> trustedProxies();

        /**
         * Header in which a trusted proxy names the full ARM id of the subnet a request came through. Empty: no
         * source subnet is ever taken from a request. From an untrusted peer the header is ignored, and from a
         * trusted proxy it counts only when the client address lies in that subnet (see
         * {@link #subnetHeaderBehindNat()}). The proxy must set this header (and {@code X-Forwarded-For}) itself,
         * overwriting whatever the client sent, never pass a client's value through.
         */
        Optional<String> subnetHeader();

        /**
         * The trusted proxies translate client addresses (NAT), so that a client's address need not lie in the subnet
         * the subnet header names: believe the header as it is. Off: the named subnet counts only when it contains the
         * client address, and is ignored otherwise.
         */
        @WithDefault("false")
        boolean subnetHeaderBehindNat();
    }

    interface Events {
        /** Topic of {@code moat.events.v1.DecisionEvent}. */
        @WithDefault("moat.decisions.v1")
        String decisionsTopic();

        /**
         * Longest time a request waits for its decision event to be written to the spool (and, with
         * {@code spool.fsync=always}, forced to disk). Beyond it the request goes on and the write follows.
         */
        @WithDefault("250ms")
        Duration maxBlock();

        /**
         * How long the decision-event producer gathers events before sending them to Kafka (its {@code linger.ms}):
         * each produce request costs the broker and audit-service about the same whatever it carries, so fewer,
         * larger ones cost less per event (20 ms instead of 5 ms saved Kafka about 15 % of its CPU per request in
         * deploy/bench/request-path.sh, and audit-service nothing measurable). Only the events' way to the audit trail
         * waits; requests never do.
         */
        @WithDefault("5ms")
        Duration linger();

        /** Topic of {@code moat.events.v1.ChangeEvent} (vault and access-policy changes of the management plane). */
        @WithDefault("moat.changes.v1")
        String changesTopic();

        /** How often the change outbox is relayed to Kafka (and retried while Kafka is away). */
        @WithDefault("500ms")
        Duration outboxPollInterval();

        Spool spool();

        /** The durable spool of decision events under {@code ${moat.data-dir}/vault/spool/}. */
        interface Spool {
            /** What happens to a request when the spool is full. */
            enum WhenFull {
                /** Refuse the request (503) before anything of it runs. */
                REJECT,
                /** Serve the request and drop its event (counted and logged at ERROR). */
                DROP
            }

            /** When written events are forced to the storage device. */
            enum Fsync {
                /** Each write batch is forced before its requests go on: events survive a power loss. */
                ALWAYS,
                /**
                 * The operating system writes back when it likes: events survive a crash of the service, not of the
                 * host.
                 */
                NEVER
            }

            /** Events kept at most while Kafka has not acknowledged them (about 300-600 bytes each on disk). */
            @WithDefault("1000000")
            long capacity();

            /**
             * When the spool is full: {@code reject} refuses data-plane requests with 503 before they run (no request
             * is served without its event), {@code drop} serves them and drops their events (counted, logged at ERROR).
             */
            @WithDefault("reject")
            WhenFull whenFull();

            /**
             * {@code always}: each write batch is forced to disk before its requests go on (events survive a power
             * loss); {@code never}: left to the operating system (they survive a crash of the service only).
             */
            @WithDefault("always")
            Fsync fsync();

            /**
             * With {@code fsync=always}: longest the spool's writer waits for the events of other requests under way
             * before it forces a batch (never when none is: a lone client is not delayed); {@code 0} turns it off.
             */
            @WithDefault("1ms")
            Duration commitDelay();

            /** Size of a spool segment file; acknowledged segments are deleted whole. */
            @WithDefault("8M")
            MemorySize segmentSize();
        }
    }
}
