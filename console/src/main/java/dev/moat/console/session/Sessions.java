package dev.moat.console.session;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.moat.console.config.ConsoleConfig;

/**
 * Sessions by id, in memory: a restart signs everyone out, which a console can afford, and the tokens stay on this
 * server. A session ends after the idle timeout or when its tokens expire, whichever comes first.
 */
@ApplicationScoped
public class Sessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private record Entry(Session session, Instant lastUsed) {
    }

    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Duration idle;

    public Sessions(ConsoleConfig config) {
        this.idle = config.sessionIdleTimeout();
    }

    /** 256 random bits, base64url: session ids, CSRF tokens, PKCE verifiers, states and nonces. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Session open(String userName, String objectId, String tenantId, String managementToken,
            String dataPlaneToken, Instant tokensExpire) {
        Session session = new Session(random(), userName, objectId, tenantId, managementToken, dataPlaneToken,
                tokensExpire, random());
        sessions.put(session.id(), new Entry(session, Instant.now()));
        return session;
    }

    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        sessions.values().removeIf(e -> e.lastUsed().plus(idle).isBefore(now) || e.session().tokensExpire().isBefore(now));
        Entry entry = sessions.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        sessions.put(id, new Entry(entry.session(), now));
        return Optional.of(entry.session());
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }
}
