package dev.moat.vault.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.moat.token.Bearer;
import dev.moat.token.Claims;
import dev.moat.token.Expectation;
import dev.moat.token.JsonWebKeys;
import dev.moat.token.JwksSource;
import dev.moat.token.KeySet;
import dev.moat.token.TokenVerifier;
import dev.moat.token.TrustedIssuer;
import dev.moat.token.Verification;
import dev.moat.vault.auth.Authentication.Authenticated;
import dev.moat.vault.auth.Authentication.Failed;
import dev.moat.vault.auth.Authentication.Failure;
import dev.moat.vault.config.VaultConfig;

/**
 * Authenticates requests by their bearer JWT, checked by the shared {@link TokenVerifier} (RS256 only, signed by a
 * trusted issuer's key, with that issuer's {@code iss}, one of the expected audiences, {@code exp}/{@code nbf} within
 * {@code moat.vault.auth.clock-skew}; verified tokens are remembered until they expire). Trusted issuers are the
 * built-in issuer (when enabled) and {@code moat.vault.auth.issuers.*}; each key only vouches for its own issuer.
 * This class keeps only what is vault-service's own: which issuers, and the words of each refusal.
 */
@ApplicationScoped
public class TokenValidator {

    /** A JWKS URL is fetched again for an unknown {@code kid} at most this often. */
    private static final Duration JWKS_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);
    private static final Duration JWKS_TIMEOUT = Duration.ofSeconds(5);

    private final boolean builtInEnabled;
    private final KeySet builtInKeys;
    private final List<TrustedIssuer> configured;
    private final TokenVerifier verifier;

    public TokenValidator(VaultConfig config, BuiltInIssuerKey builtInKey) {
        this.builtInEnabled = config.tokenIssuer().enabled();
        this.builtInKeys = kid -> KeySet.select(List.of(builtInKey.publicJwk()), kid);
        Clock clock = Clock.systemUTC();
        List<TrustedIssuer> issuers = new ArrayList<>();
        config.auth().issuers().forEach((name, issuer) -> issuers.add(
                new TrustedIssuer(name, issuer.issuer(), keys(name, issuer.jwks(), clock))));
        this.configured = List.copyOf(issuers);
        this.verifier = new TokenVerifier(config.auth().clockSkew(), TokenVerifier.DEFAULT_CACHE_SIZE, clock);
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param audiences the audiences this plane accepts
     * @param endpoint the request's public endpoint (the built-in issuer's {@code iss} is derived from it)
     */
    public Authentication validate(String authorization, Set<String> audiences, Endpoint endpoint) {
        if (authorization == null || authorization.isBlank()) {
            return new Failed(Failure.MISSING, "Request is missing a Bearer or PoP token.");
        }
        String token = Bearer.token(authorization);
        if (token == null) {
            return new Failed(Failure.MISSING, "Request is missing a Bearer or PoP token: the Authorization header "
                    + "does not use the Bearer scheme.");
        }
        Verification verification = verifier.verify(token, new Expectation(issuers(endpoint), audiences));
        if (verification instanceof Verification.Refused refused) {
            return failed(refused, audiences);
        }
        if (verification instanceof Verification.KeysUnavailable) {
            return new Failed(Failure.BAD_SIGNATURE, "The token cannot be checked: its issuer's signing keys could "
                    + "not be fetched.");
        }
        Claims claims = ((Verification.Verified) verification).claims();
        if (claims.objectId() == null) {
            return new Failed(Failure.MALFORMED, "The token names no caller: it has neither 'oid' nor 'sub'.");
        }
        return new Authenticated(new Identity(claims.tenantId(), claims.objectId(), claims.applicationId(),
                claims.issuer()));
    }

    private List<TrustedIssuer> issuers(Endpoint endpoint) {
        if (!builtInEnabled) {
            return configured;
        }
        List<TrustedIssuer> issuers = new ArrayList<>(configured.size() + 1);
        issuers.add(new TrustedIssuer("built-in", endpoint.builtInIssuer(TrustedIssuer.TENANT), builtInKeys));
        issuers.addAll(configured);
        return issuers;
    }

    private static Failed failed(Verification.Refused refused, Set<String> audiences) {
        return switch (refused.reason()) {
            case MALFORMED -> new Failed(Failure.MALFORMED, refused.message());
            case UNTRUSTED_ISSUER -> new Failed(Failure.WRONG_ISSUER,
                    "Invalid issuer '" + refused.found() + "': not a trusted token issuer.");
            case WRONG_AUDIENCE -> new Failed(Failure.WRONG_AUDIENCE, "Invalid audience. Expected "
                    + audiences.iterator().next() + ", found: " + (refused.found().isEmpty() ? "none" : refused.found())
                    + ".");
            case EXPIRED -> new Failed(Failure.EXPIRED, "The token is expired.");
            case NOT_YET_VALID -> new Failed(Failure.NOT_YET_VALID, "The token is not valid yet (nbf is in the future).");
            case NOT_RS256, UNKNOWN_KEY, BAD_SIGNATURE -> new Failed(Failure.BAD_SIGNATURE,
                    "The token's signature is not valid for its issuer.");
        };
    }

    /** An {@code https://} JWKS is fetched on use and again for an unknown {@code kid}; a file is read now. */
    private static KeySet keys(String name, String jwks, Clock clock) {
        try {
            if (jwks.toLowerCase(Locale.ROOT).matches("[a-z][a-z0-9+.-]*://.*")) {
                return new JsonWebKeys(JwksSource.of(jwks, Optional.empty(), JWKS_TIMEOUT), JWKS_MIN_REFRESH_INTERVAL,
                        clock);
            }
            return KeySet.fromJwksFile(Path.of(jwks));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("moat.vault.auth.issuers." + name + ".jwks: " + e.getMessage(), e);
        }
    }
}
