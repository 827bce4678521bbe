package dev.moat.vault.issuer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.moat.vault.config.VaultConfig;

/**
 * Slows down guessing of client secrets at the token endpoints: failed client authentications are counted in a
 * sliding window per (client id, source address) and per source address. Either count at its limit refuses further
 * attempts (429 with {@code Retry-After}) until the oldest failure leaves the window. A client is never throttled by
 * failures from another address, so an attacker cannot lock a real client out from elsewhere; the per-address limit
 * stops one address spraying many client ids.
 *
 * <p>Every token endpoint calls {@link #retryAfter} before it looks at the secret (a throttled caller learns nothing,
 * right secret or not) and {@link #failed} after a refused client authentication. State is per replica and in memory:
 * behind a balancer of n replicas an attacker gets at most n times the limit.
 */
@ApplicationScoped
public class ClientAuthenticationThrottle {

    /** Beyond this many tracked keys, expired ones are swept before a new one is added (bounds memory). */
    private static final int SWEEP_ABOVE = 10_000;

    private final int perClientAndAddress;
    private final int perAddress;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    @Inject
    public ClientAuthenticationThrottle(VaultConfig config) {
        this(config.tokenIssuer().throttle().maxFailuresPerClientAndAddress(),
                config.tokenIssuer().throttle().maxFailuresPerAddress(), config.tokenIssuer().throttle().window(),
                Clock.systemUTC());
    }

    ClientAuthenticationThrottle(int perClientAndAddress, int perAddress, Duration window, Clock clock) {
        this.perClientAndAddress = perClientAndAddress;
        this.perAddress = perAddress;
        this.window = window;
        this.clock = clock;
    }

    /**
     * @param clientId the client id the request names (may be null or unknown)
     * @param address  the client's source address as {@code dev.moat.vault.origin.OriginResolver} resolves it
     * @return how long the caller must wait, or empty when it may try now
     */
    public Optional<Duration> retryAfter(String clientId, String address) {
        Instant now = clock.instant();
        Duration wait = waitFor(pairKey(clientId, address), perClientAndAddress, now);
        Duration addressWait = waitFor(addressKey(address), perAddress, now);
        Duration longest = wait.compareTo(addressWait) >= 0 ? wait : addressWait;
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    /** Records one failed client authentication (unknown client, wrong or missing secret). */
    public void failed(String clientId, String address) {
        Instant now = clock.instant();
        if (failures.size() > SWEEP_ABOVE) {
            failures.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    prune(e.getValue(), now);
                    return e.getValue().isEmpty();
                }
            });
        }
        for (String key : new String[] {pairKey(clientId, address), addressKey(address)}) {
            Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (times) {
                prune(times, now);
                times.addLast(now);
            }
        }
    }

    private Duration waitFor(String key, int limit, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Duration.ZERO;
        }
        synchronized (times) {
            prune(times, now);
            if (times.size() < limit) {
                return Duration.ZERO;
            }
            // the failure that must leave the window before the count drops below the limit
            Instant release = times.stream().skip(times.size() - limit).findFirst().orElseThrow().plus(window);
            return Duration.between(now, release);
        }
    }

    private void prune(Deque<Instant> times, Instant now) {
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
    }

    private static String pairKey(String clientId, String address) {
        return "client:" + (clientId == null ? "" : clientId.toLowerCase(java.util.Locale.ROOT)) + "@" + address;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
