package dev.moat.audit.client;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.moat.audit.config.AuditConfig;
import dev.moat.token.TokenMinter;

/**
 * audit-service's identity towards policy-service (ADR 0002): a short-lived RS256 JWT with the one role it needs,
 * {@code Policy.Evaluate} (decide proposed rule sets; it can change nothing), minted by moat-token's
 * {@link TokenMinter} with the configured internal key and renewed at half-life. Never logged.
 */
@ApplicationScoped
public class PolicyToken {

    static final String ROLE = "Policy.Evaluate";

    private final Optional<Supplier<String>> token;

    public PolicyToken(AuditConfig config) {
        AuditConfig.Policy policy = config.policy();
        this.token = policy.signingKeyLocation().map(location -> new TokenMinter(Path.of(location),
                "moat.audit.policy.signing-key-location", policy.issuer(), policy.audience(), Clock.systemUTC())
                .renewing("audit-service", policy.tokenLifetime(), List.of(ROLE)));
    }

    /** The {@code authorization} header value; empty when no key is configured. */
    public Optional<String> bearer() {
        return token.map(t -> "Bearer " + t.get());
    }
}
