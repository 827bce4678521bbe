package dev.moat.vault.firewall;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.moat.token.TokenMinter;
import dev.moat.vault.auth.Identity;
import io.grpc.CallCredentials;
import io.grpc.Metadata;

/**
 * vault-service's identity towards policy-service: a short-lived RS256 JWT with the roles {@code Policy.Check} (the
 * firewall question) and {@code Policy.Admin} (the management plane's network rules), minted with the configured
 * key and renewed at half-life; and, for each management change, a short token naming the user as the actor
 * ({@link #forActor}). Minted by moat-token's {@link TokenMinter}; tokens are never logged.
 */
@ApplicationScoped
public class ServiceToken extends CallCredentials {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Duration ACTOR_TOKEN_LIFETIME = Duration.ofMinutes(2);

    private final Optional<TokenMinter> minter;
    private final Optional<Supplier<String>> own;

    public ServiceToken(PolicyClientConfig config) {
        this.minter = config.signingKeyLocation().map(location -> new TokenMinter(Path.of(location),
                "moat.vault.policy.signing-key-location", config.issuer(), config.audience(), Clock.systemUTC()));
        this.own = minter.map(m -> m.renewing("vault-service", config.tokenLifetime(),
                List.of("Policy.Check", "Policy.Admin")));
    }

    /** Whether a key is configured; without one, calls go out without a token. */
    public boolean configured() {
        return minter.isPresent();
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token());
        applier.apply(headers);
    }

    /**
     * A short token for one management change made for {@code actor}, after vault-service has authorised them: role
     * {@code Policy.Admin}, and the user's {@code tid}/{@code oid}/{@code appid}, which policy-service records as the
     * change's actor (ADR 0002). Empty when no key is configured.
     */
    public Optional<String> forActor(Identity actor) {
        return minter.map(m -> {
            Map<String, String> claims = new LinkedHashMap<>();
            claims.put("tid", actor.tenantId());
            claims.put("oid", actor.objectId());
            claims.put("appid", actor.applicationId());
            return "Bearer " + m.mint(actor.objectId(), ACTOR_TOKEN_LIFETIME, List.of("Policy.Admin"), claims);
        });
    }

    String token() {
        return own.orElseThrow().get();
    }
}
