package dev.moat.token;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The issuer's public keys, fetched from a {@link JwksSource} on first use (never at start: the issuer may start
 * later) and cached. A token whose {@code kid} is not among them makes the keys be fetched again (the issuer may have
 * rotated them), at most once per {@code minRefreshInterval} after a successful fetch and once per
 * {@link #RETRY_AFTER_FAILURE} after a failed one, so that unknown {@code kid}s cannot make this service hammer the
 * issuer, and a service started before its issuer picks the keys up as soon as the issuer answers.
 */
public final class JsonWebKeys implements KeySet {

    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(JsonWebKeys.class);

    private final JwksSource source;
    private final Duration minRefreshInterval;
    private final Clock clock;

    /** The keys of the last successful fetch; null before the first. */
    private volatile List<PublicJsonWebKey> keys;
    private Instant nextFetch = Instant.MIN;
    private String lastFailure;

    public JsonWebKeys(JwksSource source, Duration minRefreshInterval, Clock clock) {
        this.source = source;
        this.minRefreshInterval = minRefreshInterval;
        this.clock = clock;
    }

    /**
     * Also empty when no key has that {@code kid}, even after a refresh, or while a refresh is not allowed yet.
     *
     * @throws KeysUnavailableException when there are no keys yet, or a refresh for an unknown {@code kid} failed
     */
    @Override
    public List<PublicJsonWebKey> candidates(String kid) throws KeysUnavailableException {
        List<PublicJsonWebKey> known = keys;
        if (known != null) {
            List<PublicJsonWebKey> found = KeySet.select(known, kid);
            if (!found.isEmpty()) {
                return found;
            }
        }
        synchronized (this) {
            known = keys;
            if (known != null) {
                List<PublicJsonWebKey> found = KeySet.select(known, kid);
                if (!found.isEmpty()) {
                    return found; // another request refreshed meanwhile
                }
            }
            Instant now = clock.instant();
            if (now.isBefore(nextFetch)) {
                if (known == null) {
                    throw new KeysUnavailableException(lastFailure);
                }
                return List.of();
            }
            try {
                known = KeySet.signingKeys(source.fetch());
                keys = known;
                nextFetch = now.plus(minRefreshInterval);
                LOG.infof("Fetched %d signing key(s) of the token issuer from %s", known.size(), source);
                return KeySet.select(known, kid);
            } catch (IOException | JoseException | RuntimeException e) {
                nextFetch = now.plus(RETRY_AFTER_FAILURE);
                lastFailure = "The token issuer's signing keys could not be fetched from " + source + ".";
                LOG.warnf("Cannot fetch the token issuer's signing keys from %s: %s", source, e);
                throw new KeysUnavailableException(lastFailure);
            }
        }
    }
}
