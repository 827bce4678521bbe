package dev.moat.vault.groups;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.store.Jdbc;

/** vault-service's table of resource groups, keyed by subscription and lower-cased name. */
@ApplicationScoped
public class ResourceGroupStore {

    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };

    private static final String STORE = "resource group store";

    private final DataSource dataSource;
    private final ObjectMapper json;

    public ResourceGroupStore(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public Optional<ResourceGroup> find(String subscription, String name) {
        return query("SELECT * FROM resource_group WHERE LOWER(subscription_id) = LOWER(?) AND name_key = ?",
                subscription, key(name)).stream().findFirst();
    }

    public List<ResourceGroup> list(String subscription) {
        return query("SELECT * FROM resource_group WHERE LOWER(subscription_id) = LOWER(?) ORDER BY name_key",
                subscription);
    }

    /**
     * Creates the group, or replaces its tags (ARM refuses to move a group: the caller checks the location first).
     *
     * @return true when the group was created
     */
    public boolean put(ResourceGroup group) {
        String tags = tags(group.tags());
        if (execute("UPDATE resource_group SET tags = ? WHERE LOWER(subscription_id) = LOWER(?) AND name_key = ?",
                tags, group.subscriptionId(), key(group.name())) > 0) {
            return false;
        }
        try {
            execute("INSERT INTO resource_group (subscription_id, name_key, name, location, tags, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", group.subscriptionId(), key(group.name()), group.name(),
                    group.location(), tags, Timestamp.from(Instant.now()));
            return true;
        } catch (IllegalStateException raced) {
            // another replica created it between our UPDATE and INSERT: then this PUT replaces its tags
            execute("UPDATE resource_group SET tags = ? WHERE LOWER(subscription_id) = LOWER(?) AND name_key = ?",
                    tags, group.subscriptionId(), key(group.name()));
            return false;
        }
    }

    public boolean delete(String subscription, String name) {
        return execute("DELETE FROM resource_group WHERE LOWER(subscription_id) = LOWER(?) AND name_key = ?",
                subscription, key(name)) > 0;
    }

    /** Whether a vault or a virtual network lives in the group (ids and names compared as ARM does, ignoring case). */
    public boolean holdsResources(String subscription, String name) {
        String prefix = ("/subscriptions/" + subscription + "/resourcegroups/" + name + "/").toLowerCase(Locale.ROOT);
        long held = Jdbc.autoCommit(dataSource, STORE, c -> Jdbc.one(c, "SELECT (SELECT COUNT(*) FROM vault "
                + "WHERE LOWER(subscription_id) = LOWER(?) AND LOWER(resource_group) = ?) + (SELECT COUNT(*) "
                + "FROM virtual_network_meta WHERE SUBSTRING(id_key, 1, ?) = ?)", rs -> rs.getLong(1), subscription,
                key(name), prefix.length(), prefix)).orElse(0L);
        return held > 0;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private String tags(Map<String, String> tags) {
        try {
            return json.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise tags", e);
        }
    }

    private List<ResourceGroup> query(String sql, Object... args) {
        return Jdbc.autoCommit(dataSource, STORE, c -> Jdbc.list(c, sql, this::group, args));
    }

    private ResourceGroup group(ResultSet row) throws SQLException {
        Map<String, String> tags;
        try {
            tags = json.readValue(row.getString("tags"), TAGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read the tags of resource group " + row.getString("name"), e);
        }
        return new ResourceGroup(row.getString("subscription_id"), row.getString("name"), row.getString("location"),
                tags);
    }

    /** One statement, committed on its own. */
    private int execute(String sql, Object... args) {
        return Jdbc.autoCommit(dataSource, STORE, c -> Jdbc.update(c, sql, args));
    }
}
