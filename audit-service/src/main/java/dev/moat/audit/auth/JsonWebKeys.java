package dev.moat.audit.auth;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The issuer's public keys, fetched from a {@link JwksSource} on first use (never at start: the issuer may start
 * later) and cached. A token whose {@code kid} is not among them makes the keys be fetched again (the issuer may have
 * rotated them), at most once per {@code minRefreshInterval} after a successful fetch and once per
 * {@link #RETRY_AFTER_FAILURE} after a failed one, so that unknown {@code kid}s cannot make this service hammer the
 * issuer, and a service started before its issuer picks the keys up as soon as the issuer answers.
 */
public final class JsonWebKeys {

    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(JsonWebKeys.class);

    /** The keys could not be fetched (the issuer is down or its JWKS is unusable). */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message) {
            super(message);
        }
    }

    private final JwksSource source;
    private final Duration minRefreshInterval;
    private final Clock clock;

    /** The keys of the last successful fetch; null before the first. */
    private volatile List<RsaJsonWebKey> keys;
    private Instant nextFetch = Instant.MIN;
    private String lastFailure;

    public JsonWebKeys(JwksSource source, Duration minRefreshInterval, Clock clock) {
        this.source = source;
        this.minRefreshInterval = minRefreshInterval;
        this.clock = clock;
    }

    /**
     * The keys that may have signed a token: those with its {@code kid}, or all of them when it names none. Empty when
     * no key has that {@code kid}, even after a refresh, or while a refresh is not allowed yet.
     *
     * @throws UnavailableException when there are no keys yet, or a refresh for an unknown {@code kid} failed
     */
    public List<RsaJsonWebKey> candidates(String kid) throws UnavailableException {
        List<RsaJsonWebKey> known = keys;
        if (known != null) {
            List<RsaJsonWebKey> found = select(known, kid);
            if (!found.isEmpty()) {
                return found;
            }
        }
        synchronized (this) {
            known = keys;
            if (known != null) {
                List<RsaJsonWebKey> found = select(known, kid);
                if (!found.isEmpty()) {
                    return found; // another request refreshed meanwhile
                }
            }
            Instant now = clock.instant();
            if (now.isBefore(nextFetch)) {
                if (known == null) {
                    throw new UnavailableException(lastFailure);
                }
                return List.of();
            }
            try {
                known = parse(source.fetch());
                keys = known;
                nextFetch = now.plus(minRefreshInterval);
                LOG.infof("Fetched %d signing key(s) of the token issuer from %s", known.size(), source);
                return select(known, kid);
            } catch (IOException | JoseException | RuntimeException e) {
                nextFetch = now.plus(RETRY_AFTER_FAILURE);
                lastFailure = "The token issuer's signing keys could not be fetched from " + source + ".";
                LOG.warnf("Cannot fetch the token issuer's signing keys from %s: %s", source, e);
                throw new UnavailableException(lastFailure);
            }
        }
    }

    private static List<RsaJsonWebKey> parse(String json) throws JoseException {
        return new JsonWebKeySet(json).getJsonWebKeys().stream()
                .filter(RsaJsonWebKey.class::isInstance).map(RsaJsonWebKey.class::cast)
                .filter(k -> k.getUse() == null || k.getUse().equals("sig"))
                .toList();
    }

    private static List<RsaJsonWebKey> select(List<RsaJsonWebKey> keys, String kid) {
        return kid == null ? keys : keys.stream().filter(k -> kid.equals(k.getKeyId())).toList();
    }
}
