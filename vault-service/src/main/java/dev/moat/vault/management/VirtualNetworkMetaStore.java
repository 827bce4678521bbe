package dev.moat.vault.management;

import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.moat.vault.store.Jdbc;

/**
 * The ARM metadata (location and tags, as a JSON document) of virtual networks, keyed by the network's id whatever
 * its case. Portable SQL: the same statements on H2 and PostgreSQL.
 */
@ApplicationScoped
public class VirtualNetworkMetaStore {

    private static final String STORE = "virtual network metadata store";

    private final DataSource dataSource;

    public VirtualNetworkMetaStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<String> find(String id) {
        return Jdbc.autoCommit(dataSource, STORE, c -> Jdbc.one(c, "SELECT document FROM virtual_network_meta "
                + "WHERE id_key = ?", rs -> rs.getString(1), key(id)));
    }

    /**
     * Inserts or replaces a network's document; when replicas write it at once, the last writer wins as with one
     * replica.
     */
    public void save(String id, String document) {
        Jdbc.autoCommit(dataSource, STORE, c -> Jdbc.updateElseInsert(c, "UPDATE virtual_network_meta SET document = ? "
                + "WHERE id_key = ?", new Object[] {document, key(id)},
                "INSERT INTO virtual_network_meta (id_key, document) VALUES (?, ?)", key(id), document));
    }

    public void delete(String id) {
        Jdbc.autoCommit(dataSource, STORE, c -> Jdbc.update(c, "DELETE FROM virtual_network_meta WHERE id_key = ?",
                key(id)));
    }

    private static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
