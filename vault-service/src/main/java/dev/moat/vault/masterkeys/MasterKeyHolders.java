package dev.moat.vault.masterkeys;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import dev.moat.vault.crypto.MasterKeyRing;
import dev.moat.vault.store.Jdbc;

/**
 * Which master keys each replica holds ({@code master_key_holder}): a replica records its key ids and its primary when
 * it starts and at every re-wrap run; a replica is live while its record is younger than the liveness window. A
 * replica that is gone for good is forgotten after a day.
 */
public final class MasterKeyHolders {

    private static final long FORGET_AFTER_MILLIS = Duration.ofDays(1).toMillis();

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
        Jdbc.autoCommit(dataSource, "recording the master keys of " + instance, c -> {
            Jdbc.updateElseInsert(c, "UPDATE master_key_holder SET primary_key_id = ?, key_ids = ?, seen_at = ? "
                    + "WHERE instance = ?", new Object[] {ring.primaryId(), ids, now, instance},
                    "INSERT INTO master_key_holder (instance, primary_key_id, key_ids, seen_at) VALUES (?, ?, ?, ?)",
                    instance, ring.primaryId(), ids, now);
            return Jdbc.update(c, "DELETE FROM master_key_holder WHERE seen_at < ?", now - FORGET_AFTER_MILLIS);
        });
    }

    /** The replicas whose record is younger than {@code window}, by instance name. */
    public List<Holder> live(long now, Duration window) {
        return Jdbc.autoCommit(dataSource, "reading which master keys the replicas hold", c -> Jdbc.list(c,
                "SELECT instance, primary_key_id, key_ids, seen_at FROM master_key_holder WHERE seen_at > ? "
                        + "ORDER BY instance", rs -> new Holder(rs.getString(1), rs.getString(2),
                        Arrays.asList(rs.getString(3).split(",")), rs.getLong(4)), now - window.toMillis()));
    }
}
