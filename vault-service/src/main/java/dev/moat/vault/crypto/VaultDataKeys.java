package dev.moat.vault.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The one place that finds, or makes, a vault's data key: secrets, keys and certificates of a vault share it. It is
 * stored wrapped under the master key in {@code vault_data_key}; the first one to need it makes it, holding the
 * vault's row lock so that concurrent requests never make two.
 */
public final class VaultDataKeys {

    private final MasterKey masterKey;
    private final Clock clock;

    public VaultDataKeys(MasterKey masterKey, Clock clock) {
        this.masterKey = masterKey;
        this.clock = clock;
    }

    /** The vault's data key, inside the caller's transaction. */
    public DataKey of(Connection c, String vault) throws SQLException {
        byte[] wrapped = wrapped(c, vault);
        if (wrapped == null) {
            try (PreparedStatement lock = c.prepareStatement("SELECT name FROM vault WHERE name = ? FOR UPDATE")) {
                lock.setString(1, vault);
                lock.executeQuery().close();
            }
            wrapped = wrapped(c, vault);
        }
        if (wrapped == null) {
            DataKey created = DataKey.generate();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO vault_data_key (vault, master_key_id, wrapped_key, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, vault);
                insert.setString(2, masterKey.id());
                insert.setBytes(3, masterKey.wrap(created, vault));
                insert.setLong(4, clock.instant().getEpochSecond());
                insert.executeUpdate();
            }
            return created;
        }
        try {
            return masterKey.unwrap(wrapped, vault);
        } catch (SealBrokenException e) {
            throw new IllegalStateException("the data key of vault " + vault + " does not open under master key "
                    + masterKey.id() + ": " + e.getMessage());
        }
    }

    private static byte[] wrapped(Connection c, String vault) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT wrapped_key FROM vault_data_key WHERE vault = ?")) {
            s.setString(1, vault);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }
}
