package dev.moat.audit.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

import dev.moat.audit.config.AuditConfig;
import dev.moat.token.Bearer;
import dev.moat.token.Claims;
import dev.moat.token.Expectation;
import dev.moat.token.JsonWebKeys;
import dev.moat.token.JwksSource;
import dev.moat.token.TokenVerifier;
import dev.moat.token.TrustedIssuer;
import dev.moat.token.Verification;

/**
 * The rule of the query API: only administrators ({@code moat.audit.auth.administrators}, by object id) with a valid
 * token of the configured issuer may read the audit trail. Checked when the service starts, so that a missing JWKS or
 * issuer stops it with a clear message instead of refusing every request; the keys themselves are fetched on first
 * use, since the issuer may start after this service.
 */
@ApplicationScoped
@Startup
public class AuditAccess {

    private static final Logger LOG = Logger.getLogger(AuditAccess.class);
    private static final Access GRANTED = new Access.Granted();
    private static final String INVALID = "InvalidAuthenticationToken";

    /** Null while access control is off. */
    private final TokenVerifier verifier;
    private final Expectation expected;
    private final Set<String> administrators;

    @Inject
    AuditAccess(AuditConfig config) {
        this(config.auth(), Clock.systemUTC());
    }

    /** @throws IllegalStateException when access control is on and its configuration is incomplete or wrong */
    AuditAccess(AuditConfig.Auth config, Clock clock) {
        List<String> admins = config.administrators().orElse(List.of());
        this.administrators = admins.stream().map(String::trim).filter(a -> !a.isEmpty())
                .map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        if (!config.enabled()) {
            this.verifier = null;
            this.expected = null;
            LOG.warn("moat.audit.auth.enabled=false: the query API (/api/v1) is open to anyone who reaches this "
                    + "service. For test benches only.");
            return;
        }
        String jwks = config.jwks().map(String::trim).filter(s -> !s.isEmpty()).orElseThrow(() -> refuse(
                "moat.audit.auth.jwks is not set: the query API is for administrators only and needs the token "
                        + "issuer's keys, as an https:// URL (for vault-service's built-in issuer "
                        + "https://localhost:<port>/<tenant>/discovery/v2.0/keys) or a JWKS file."));
        String issuer = config.issuer().map(String::trim).filter(s -> !s.isEmpty()).orElseThrow(() -> refuse(
                "moat.audit.auth.issuer is not set: the query API is for administrators only and needs the 'iss' "
                        + "of their tokens, for vault-service's built-in issuer https://localhost:<port>/{tenant}/v2.0."));
        JwksSource source;
        try {
            source = JwksSource.of(jwks, config.jwksCa().map(String::trim).filter(s -> !s.isEmpty()).map(Path::of),
                    config.jwksTimeout());
        } catch (IllegalArgumentException e) {
            throw refuse("moat.audit.auth.jwks: " + e.getMessage() + ".");
        }
        this.verifier = new TokenVerifier(config.clockSkew(), TokenVerifier.DEFAULT_CACHE_SIZE, clock);
        this.expected = new Expectation(List.of(new TrustedIssuer("audit", issuer,
                new JsonWebKeys(source, config.jwksMinRefreshInterval(), clock))),
                Expectation.withAndWithoutSlash(config.audience()));
        LOG.infof("The query API is for administrators only: tokens of %s for %s, keys from %s (fetched on first use), "
                + "%d administrator(s).", issuer, config.audience(), source, administrators.size());
        if (administrators.isEmpty()) {
            LOG.warn("moat.audit.auth.administrators is empty: every request to the query API will be refused (403).");
        }
    }

    private static IllegalStateException refuse(String message) {
        return new IllegalStateException(message + " To run without access control (test benches only), set "
                + "moat.audit.auth.enabled=false.");
    }

    /** @param authorization the request's {@code Authorization} header, or null */
    public Access check(String authorization) {
        if (verifier == null) {
            return GRANTED;
        }
        if (authorization == null || authorization.isBlank()) {
            return new Access.Unauthenticated("AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is missing.", false);
        }
        String token = Bearer.token(authorization);
        if (token == null) {
            return new Access.Unauthenticated("AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is not a Bearer token.", false);
        }
        Verification verification = verifier.verify(token, expected);
        if (verification instanceof Verification.KeysUnavailable unavailable) {
            return new Access.Unavailable(unavailable.message());
        }
        if (verification instanceof Verification.Refused refused) {
            return unauthenticated(refused);
        }
        Claims claims = ((Verification.Verified) verification).claims();
        if (claims.objectId() == null) {
            return new Access.Unauthenticated(INVALID, "The access token names no caller: it has neither 'oid' nor "
                    + "'sub'.", true);
        }
        Caller caller = new Caller(claims.tenantId(), claims.objectId(), claims.applicationId());
        if (administrators.contains(caller.objectId().toLowerCase(Locale.ROOT))) {
            return GRANTED;
        }
        LOG.infof("Query API request refused (403): object id %s (tenant %s, application %s) is not an administrator",
                caller.objectId(), caller.tenantId(), caller.applicationId());
        return new Access.Forbidden(caller, "The client '" + caller.objectId() + "' with object id '"
                + caller.objectId() + "' does not have authorization to read the audit trail: only Moat "
                + "administrators may.");
    }

    /** ARM's 401 codes. */
    private Access.Unauthenticated unauthenticated(Verification.Refused refused) {
        Access.Unauthenticated answer = switch (refused.reason()) {
            case EXPIRED -> new Access.Unauthenticated("ExpiredAuthenticationToken",
                    "The access token has expired. Get a new token and retry.", true);
            case WRONG_AUDIENCE -> new Access.Unauthenticated("InvalidAuthenticationTokenAudience",
                    "The access token has been obtained for the wrong audience or resource '" + refused.found()
                            + "'. It should exactly match '" + expected.audiences().iterator().next() + "'.", true);
            default -> new Access.Unauthenticated(INVALID, refused.message(), true);
        };
        LOG.debugf("Query API request refused (401 %s): %s", answer.code(), answer.message());
        return answer;
    }
}
