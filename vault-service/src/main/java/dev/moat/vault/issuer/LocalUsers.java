package dev.moat.vault.issuer;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.moat.vault.config.VaultConfig;

/**
 * The people who may sign in at the authorize endpoint ({@code moat.vault.token-issuer.users}), with their passwords
 * kept as PBKDF2 hashes. A wrong user name costs the same PBKDF2 work as a wrong password, so that the answer time does
 * not tell which names exist.
 */
@ApplicationScoped
public class LocalUsers {

    private static final Logger LOG = Logger.getLogger(LocalUsers.class);

    /** A signed-in person: the claims their tokens carry. */
    public record User(String name, String objectId, String tenantId, String displayName) {
    }

    private final VaultConfig config;
    /** Checked when the user name is unknown, so that unknown and known names take the same time. */
    private final String decoy;

    public LocalUsers(VaultConfig config) {
        this.config = config;
        int iterations = 210_000;
        for (Map.Entry<String, VaultConfig.TokenIssuer.User> user : config.tokenIssuer().users().entrySet()) {
            String hash = user.getValue().passwordHash();
            String key = "moat.vault.token-issuer.users." + user.getKey() + ".password-hash";
            if (!hash.startsWith("pbkdf2-sha256:")) {
                throw new IllegalArgumentException(key + ": a person's password must be hashed with PBKDF2 "
                        + "('pbkdf2-sha256:<iterations>:<salt>:<hash>', printed by dev.moat.vault.issuer.SecretHash)");
            }
            try {
                SecretHash.validate(hash);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
            iterations = Integer.parseInt(hash.split(":")[1]);
        }
        this.decoy = SecretHash.pbkdf2("decoy", iterations);
    }

    /** The user, when the name is known (case-insensitive) and the password matches its hash. */
    public Optional<User> authenticate(String name, String password) {
        Optional<Map.Entry<String, VaultConfig.TokenIssuer.User>> entry = entry(name);
        if (entry.isEmpty() || password == null) {
            SecretHash.matches(password == null ? "" : password, decoy);
            return Optional.empty();
        }
        if (!SecretHash.matches(password, entry.get().getValue().passwordHash())) {
            LOG.infof("sign-in refused: wrong password for user %s", entry.get().getKey());
            return Optional.empty();
        }
        return Optional.of(user(entry.get()));
    }

    /** The user by name, for a refresh: a user removed from the configuration gets no new tokens. */
    public Optional<User> byName(String name) {
        return entry(name).map(this::user);
    }

    private Optional<Map.Entry<String, VaultConfig.TokenIssuer.User>> entry(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        return config.tokenIssuer().users().entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(key)).findFirst();
    }

    private User user(Map.Entry<String, VaultConfig.TokenIssuer.User> e) {
        VaultConfig.TokenIssuer.User u = e.getValue();
        return new User(e.getKey(), u.objectId(), u.tenantId().orElse(config.auth().tenantId()),
                u.displayName().orElse(e.getKey()));
    }
}
