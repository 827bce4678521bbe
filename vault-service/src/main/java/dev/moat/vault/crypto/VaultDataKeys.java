package dev.moat.vault.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place that finds, makes or re-wraps a vault's data key: secrets, keys and certificates of a vault share it.
 * It is stored wrapped under a master key of the {@link MasterKeyRing} in {@code vault_data_key}, beside that key's
 * id; the first one to need it makes it (under the primary key), holding the vault's row lock so that concurrent
 * requests never make two. A re-wrap changes the wrapping and the key id in one UPDATE, so a reader always sees a
 * matching pair, and the data key itself (what sealed the values) never changes.
 */
public final class VaultDataKeys {

    private final MasterKeyRing ring;
    private final Clock clock;

    public VaultDataKeys(MasterKeyRing ring, Clock clock) {
        this.ring = ring;
        this.clock = clock;
    }

    /** The vault's data key, inside the caller's transaction. */
    public DataKey of(Connection c, String vault) throws SQLException {
        Stored stored = stored(c, vault, false);
        if (stored == null) {
            try (PreparedStatement lock = c.prepareStatement("SELECT name FROM vault WHERE name = ? FOR UPDATE")) {
                lock.setString(1, vault);
                lock.executeQuery().close();
            }
            stored = stored(c, vault, false);
        }
        if (stored == null) {
            DataKey created = DataKey.generate();
            MasterKeyRing.Wrapped wrapped = ring.wrap(created, vault);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO vault_data_key (vault, master_key_id, wrapped_key, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, vault);
                insert.setString(2, wrapped.masterKeyId());
                insert.setBytes(3, wrapped.key());
                insert.setLong(4, clock.instant().getEpochSecond());
                insert.executeUpdate();
            }
            return created;
        }
        return open(stored, vault);
    }

    /**
     * Re-wraps the vault's data key under the primary key, inside the caller's transaction (holding the row's lock).
     *
     * @return false when there is nothing to do: no data key, or it is wrapped under the primary already
     * @throws IllegalStateException when it does not open under any key held (never rewritten then)
     */
    public boolean rewrap(Connection c, String vault) throws SQLException {
        Stored stored = stored(c, vault, true);
        if (stored == null || stored.masterKeyId().equals(ring.primaryId())) {
            return false;
        }
        MasterKeyRing.Wrapped rewrapped = ring.wrap(open(stored, vault), vault);
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE vault_data_key SET master_key_id = ?, wrapped_key = ? WHERE vault = ? AND master_key_id = ?")) {
            update.setString(1, rewrapped.masterKeyId());
            update.setBytes(2, rewrapped.key());
            update.setString(3, vault);
            update.setString(4, stored.masterKeyId());
            return update.executeUpdate() == 1;
        }
    }

    /** Vaults whose data key is under a held key other than the primary, in name order, at most {@code limit}. */
    public List<String> notUnderPrimary(Connection c, int limit) throws SQLException {
        List<String> others = new ArrayList<>(ring.ids());
        others.remove(ring.primaryId());
        List<String> vaults = new ArrayList<>();
        if (others.isEmpty()) {
            return vaults;
        }
        String marks = String.join(", ", others.stream().map(id -> "?").toList());
        try (PreparedStatement s = c.prepareStatement("SELECT vault FROM vault_data_key WHERE master_key_id IN ("
                + marks + ") ORDER BY vault LIMIT ?")) {
            int i = 1;
            for (String id : others) {
                s.setString(i++, id);
            }
            s.setInt(i, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    vaults.add(rs.getString(1));
                }
            }
        }
        return vaults;
    }

    /** How many data keys each master key wraps, by master key id (only ids that wrap at least one). */
    public static Map<String, Long> countByMasterKey(Connection c) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT master_key_id, COUNT(*) FROM vault_data_key GROUP BY master_key_id");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private Stored stored(Connection c, String vault, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT master_key_id, wrapped_key FROM vault_data_key "
                + "WHERE vault = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, vault);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Stored(rs.getString(1), rs.getBytes(2)) : null;
            }
        }
    }

    /** A row of {@code vault_data_key}: the wrapping and the id of the key it is wrapped under, read together. */
    private record Stored(String masterKeyId, byte[] wrapped) {
    }

    private DataKey open(Stored stored, String vault) {
        try {
            return ring.unwrap(stored.masterKeyId(), stored.wrapped(), vault);
        } catch (SealBrokenException e) {
            throw new IllegalStateException("the data key of vault " + vault + " does not open: " + e.getMessage());
        }
    }
}
