package dev.moat.console.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The console's configuration, prefix {@code moat.console}. Every key and default is in console/README.md. */
@ConfigMapping(prefix = "moat.console")
public interface ConsoleConfig {

    /** Where browsers reach the console, e.g. {@code https://localhost:8444}: the redirect URI is built from it. */
    String publicUrl();

    Oidc oidc();

    /** The subscription whose vaults the console lists and creates. */
    @WithDefault("s1")
    String subscription();

    Moat moat();

    /**
     * Peers whose {@code X-Forwarded-For} names the browser (a proxy in front of the console). Empty: the TCP peer is
     * the browser. The console passes the browser's address on to the data plane the same way.
     */
    Optional<List<String>> trustedProxies();

    /** A session ends after this long without a request. */
    @WithDefault("30m")
    Duration sessionIdleTimeout();

    interface Oidc {
        /**
         * The OpenID Connect issuer ({@code iss}); its metadata is read from
         * {@code <issuer>/.well-known/openid-configuration}. The local stack's: the built-in issuer,
         * {@code https://localhost:8443/<tenant>/v2.0}.
         */
        String issuer();

        /** The console's client id at the issuer. */
        @WithDefault("moat-console")
        String clientId();

        /** Secret of a confidential client (Keycloak, Entra web apps); empty for a public client (PKCE alone). */
        Optional<String> clientSecret();

        /** Scope asked for at sign-in: its access token calls the management plane and the audit trail. */
        @WithDefault("openid offline_access https://management.localhost/.default")
        String scope();

        /**
         * Scope of a second access token, for the data plane, bought with the refresh token (as Entra does for a
         * second resource). Empty: the sign-in's access token serves the data plane too (a provider that puts both
         * audiences in one token, e.g. Keycloak with an audience mapper).
         */
        Optional<String> dataPlaneScope();

        /** PEM file of the CA that signs the issuer's HTTPS certificate (besides the JDK's trusted CAs). */
        Optional<String> caFile();
    }

    interface Moat {
        /** vault-service's management plane (ARM), e.g. {@code https://localhost:8443}. */
        String managementUrl();

        /** audit-service's query API, e.g. {@code http://127.0.0.1:8082}. */
        String auditUrl();

        /**
         * Address to connect to for vault hosts ({@code https://<vault>.vault.localhost:8443}) when their names do not
         * resolve here; the vault host still goes in the Host header and TLS checks the certificate against this
         * address. Empty: resolve the vault host.
         */
        Optional<String> vaultAddress();

        /** PEM file of the CA that signs vault-service's certificate (besides the JDK's trusted CAs). */
        Optional<String> caFile();

        /** api-version of the management calls. */
        @WithDefault("2023-02-01")
        String apiVersion();
    }
}
