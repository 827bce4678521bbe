package dev.moat.vault.masterkeys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import dev.moat.vault.crypto.MasterKeyRing;

/**
 * Which master keys each replica holds ({@code master_key_holder}): a replica records its key ids and its primary when
 * it starts and at every re-wrap run; a replica is live while its record is younger than the liveness window. A
 * replica that is gone for good is forgotten after a day.
 */
public final class MasterKeyHolders {

    private static final long FORGET_AFTER_MILLIS = Duration.ofDays(1).toMillis();
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public MasterKeyHolders(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One replica's keys, as it last recorded them. */
    public record Holder(String instance, String primaryKeyId, List<String> keyIds, long seenAt) {
    }

    /** Records (or renews) what {@code instance} holds now. */
    public void record(String instance, MasterKeyRing ring, long now) {
        String ids = String.join(",", ring.ids());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (update(c, instance, ring.primaryId(), ids, now) == 0) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO master_key_holder "
                        + "(instance, primary_key_id, key_ids, seen_at) VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, instance);
                    insert.setString(2, ring.primaryId());
                    insert.setString(3, ids);
                    insert.setLong(4, now);
                    insert.executeUpdate();
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    update(c, instance, ring.primaryId(), ids, now);
                }
            }
            try (PreparedStatement forget = c.prepareStatement("DELETE FROM master_key_holder WHERE seen_at < ?")) {
                forget.setLong(1, now - FORGET_AFTER_MILLIS);
                forget.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the master keys of " + instance + ": " + e.getMessage(), e);
        }
    }

    /** The replicas whose record is younger than {@code window}, by instance name. */
    public List<Holder> live(long now, Duration window) {
        List<Holder> holders = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT instance, primary_key_id, key_ids, seen_at "
                        + "FROM master_key_holder WHERE seen_at > ? ORDER BY instance")) {
            s.setLong(1, now - window.toMillis());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    holders.add(new Holder(rs.getString(1), rs.getString(2), Arrays.asList(rs.getString(3).split(",")),
                            rs.getLong(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read which master keys the replicas hold: " + e.getMessage(), e);
        }
        return holders;
    }

    private static int update(Connection c, String instance, String primary, String ids, long now)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE master_key_holder SET primary_key_id = ?, "
                + "key_ids = ?, seen_at = ? WHERE instance = ?")) {
            update.setString(1, primary);
            update.setString(2, ids);
            update.setLong(3, now);
            update.setString(4, instance);
            return update.executeUpdate();
        }
    }
}
