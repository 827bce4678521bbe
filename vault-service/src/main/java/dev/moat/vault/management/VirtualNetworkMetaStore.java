package dev.moat.vault.management;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The ARM metadata (location and tags, as a JSON document) of virtual networks, keyed by the network's id whatever
 * its case. Portable SQL: the same statements on H2 and PostgreSQL.
 */
@ApplicationScoped
public class VirtualNetworkMetaStore {

    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public VirtualNetworkMetaStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<String> find(String id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT document FROM virtual_network_meta WHERE id_key = ?")) {
            s.setString(1, key(id));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("virtual network metadata query failed: " + e.getMessage(), e);
        }
    }

    /**
     * Inserts or replaces a network's document: an UPDATE, else an INSERT; when a concurrent replica inserted first
     * (unique violation), its row is updated instead, so the last writer wins as with one replica.
     */
    public void save(String id, String document) {
        try (Connection c = dataSource.getConnection()) {
            if (replace(c, id, document) > 0) {
                return;
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO virtual_network_meta (id_key, document) VALUES (?, ?)")) {
                s.setString(1, key(id));
                s.setString(2, document);
                s.executeUpdate();
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                replace(c, id, document);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("virtual network metadata update failed: " + e.getMessage(), e);
        }
    }

    public void delete(String id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM virtual_network_meta WHERE id_key = ?")) {
            s.setString(1, key(id));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("virtual network metadata update failed: " + e.getMessage(), e);
        }
    }

    private static int replace(Connection c, String id, String document) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE virtual_network_meta SET document = ? WHERE id_key = ?")) {
            s.setString(1, document);
            s.setString(2, key(id));
            return s.executeUpdate();
        }
    }

    private static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
