package dev.moat.policy.auth;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may call policy-service, prefix {@code moat.policy.auth}. See the module README, "Access". */
@ConfigMapping(prefix = "moat.policy.auth")
public interface AuthConfig {

    /** When false every call is let in: only for a test bench that nobody else can reach. */
    @WithDefault("true")
    boolean enabled();

    /** PEM file (SubjectPublicKeyInfo) of the RSA key that signs callers' tokens (RS256). */
    Optional<String> publicKeyLocation();

    /** Required {@code iss} of callers' tokens. */
    @WithDefault("moat")
    String issuer();

    /** Required {@code aud} of callers' tokens. */
    @WithDefault("moat-policy")
    String audience();

    /** Tolerated clock difference for {@code exp} and {@code nbf}. */
    @WithDefault("30s")
    Duration clockSkew();
}
