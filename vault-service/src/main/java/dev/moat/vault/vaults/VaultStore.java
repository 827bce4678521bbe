package dev.moat.vault.vaults;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.outbox.ChangeOutbox;
import dev.moat.vault.store.Jdbc;

/**
 * vault-service's own table of vaults (H2 file database by default). One row per vault, keyed by its globally
 * unique name; location, tags and properties are kept as one JSON document.
 *
 * <p>Every data-plane request looks its vault up, so parsed vaults are kept in memory by name with the row's
 * {@code etag}, a new random value at every write of the row: a look-up reads that one column and parses the document
 * again only when it changed. A change committed by any replica is seen by the next request, as without the copy.
 */
@ApplicationScoped
public class VaultStore {

    /** What the JSON column holds. */
    record Document(String location, Map<String, String> tags, VaultProperties properties) {
    }

    private record Parsed(String etag, Vault vault) {
    }

    private static final String STORE = "vault store";

    private final DataSource dataSource;
    private final ObjectMapper json;
    /** Parsed vaults by name, each with the etag of the row it was read from; a name without a row is removed. */
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    public VaultStore(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public Optional<Vault> find(String name) {
        Parsed known = parsed.get(name);
        String etag = etagOf(name);
        if (etag == null) {
            parsed.remove(name);
            return Optional.empty();
        }
        if (known != null && known.etag().equals(etag)) {
            return Optional.of(known.vault());
        }
        List<Parsed> found = read("SELECT * FROM vault WHERE name = ?", name);
        if (found.isEmpty()) {
            parsed.remove(name);
            return Optional.empty();
        }
        parsed.put(name, found.get(0));
        return Optional.of(found.get(0).vault());
    }

    private String etagOf(String name) {
        return Jdbc.autoCommit(dataSource, STORE, c -> Jdbc.one(c, "SELECT etag FROM vault WHERE name = ?",
                rs -> rs.getString(1), name)).orElse(null);
    }

    /** Vaults of a subscription, or of one of its resource groups when {@code group} is not null, by name. */
    public List<Vault> list(String subscription, String group) {
        if (group == null) {
            return query("SELECT * FROM vault WHERE LOWER(subscription_id) = LOWER(?) ORDER BY name", subscription);
        }
        return query("SELECT * FROM vault WHERE LOWER(subscription_id) = LOWER(?) AND LOWER(resource_group) = LOWER(?) "
                + "ORDER BY name", subscription, group);
    }

    /**
     * Inserts a new vault, with its change event in the same transaction; fails (SQL unique violation) when the name
     * is taken, even by a concurrent replica.
     */
    public void insert(Vault vault, ChangeEvent change) {
        Timestamp now = Timestamp.from(Instant.now());
        update(change, "INSERT INTO vault (name, subscription_id, resource_group, owner_tenant_id, owner_object_id, "
                + "document, created_at, updated_at, etag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", vault.name(),
                vault.subscriptionId(), vault.resourceGroup(), vault.owner().tenantId(), vault.owner().objectId(),
                document(vault), now, now, newEtag());
    }

    /** Replaces a vault's document; {@code change} (null when nothing changed) is written in the same transaction. */
    public void replace(Vault vault, ChangeEvent change) {
        update(change, "UPDATE vault SET document = ?, updated_at = ?, etag = ? WHERE name = ?", document(vault),
                Timestamp.from(Instant.now()), newEtag(), vault.name());
    }

    public boolean delete(String name, ChangeEvent change) {
        return update(change, "DELETE FROM vault WHERE name = ?", name) > 0;
    }

    private static String newEtag() {
        return UUID.randomUUID().toString();
    }

    private String document(Vault vault) {
        try {
            return json.writeValueAsString(new Document(vault.location(), vault.tags(), vault.properties()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise vault " + vault.name(), e);
        }
    }

    private List<Vault> query(String sql, Object... args) {
        return read(sql, args).stream().map(Parsed::vault).toList();
    }

    private List<Parsed> read(String sql, Object... args) {
        return Jdbc.autoCommit(dataSource, STORE, c -> Jdbc.list(c, sql, this::parsed, args));
    }

    private Parsed parsed(ResultSet row) throws SQLException {
        Document doc;
        try {
            doc = json.readValue(row.getString("document"), Document.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read the document of vault " + row.getString("name"), e);
        }
        return new Parsed(row.getString("etag"), new Vault(row.getString("name"), row.getString("subscription_id"),
                row.getString("resource_group"), doc.location(), doc.tags(), doc.properties(),
                new Vault.Owner(row.getString("owner_tenant_id"), row.getString("owner_object_id"))));
    }

    private int update(ChangeEvent change, String sql, Object... args) {
        return Jdbc.inTransaction(dataSource, STORE, c -> {
            int rows = Jdbc.update(c, sql, args);
            if (change != null && rows > 0) {
                ChangeOutbox.enqueue(c, change);
            }
            return rows;
        });
    }
}
