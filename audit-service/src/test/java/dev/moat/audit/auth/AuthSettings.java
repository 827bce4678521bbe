package dev.moat.audit.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.moat.audit.config.AuditConfig;
import dev.moat.audit.support.Tokens;

/** {@code moat.audit.auth} as plain values, for tests that build {@link AuditAccess} without Quarkus. */
record AuthSettings(boolean enabled, Optional<String> jwks, Optional<String> jwksCa, Optional<String> issuer,
        String audience, Optional<List<String>> administrators, Duration clockSkew, Duration jwksMinRefreshInterval,
        Duration jwksTimeout) implements AuditConfig.Auth {

    /** The defaults, with the test issuer and administrator and the given JWKS. */
    static AuthSettings of(String jwks) {
        return new AuthSettings(true, Optional.ofNullable(jwks), Optional.empty(),
                Optional.of("https://localhost:8443/{tenant}/v2.0"), Tokens.AUDIENCE,
                Optional.of(List.of(Tokens.ADMIN_OID)), Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(5));
    }

    AuthSettings disabled() {
        return new AuthSettings(false, jwks, jwksCa, issuer, audience, administrators, clockSkew,
                jwksMinRefreshInterval, jwksTimeout);
    }

    AuthSettings withIssuer(String value) {
        return new AuthSettings(enabled, jwks, jwksCa, Optional.ofNullable(value), audience, administrators, clockSkew,
                jwksMinRefreshInterval, jwksTimeout);
    }

    AuthSettings withCa(String value) {
        return new AuthSettings(enabled, jwks, Optional.ofNullable(value), issuer, audience, administrators, clockSkew,
                jwksMinRefreshInterval, jwksTimeout);
    }
}
