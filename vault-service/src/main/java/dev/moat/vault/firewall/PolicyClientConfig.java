package dev.moat.vault.firewall;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How vault-service proves its identity to policy-service, prefix {@code moat.vault.policy}. */
@ConfigMapping(prefix = "moat.vault.policy")
public interface PolicyClientConfig {

    /**
     * PEM (PKCS#8) RSA private key that signs vault-service's tokens for policy-service; policy-service trusts the
     * matching public key ({@code moat.policy.auth.public-key-location}). Absent: calls carry no token, which a
     * policy-service with authentication on refuses (and vault-service then fails closed).
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
}
