package dev.moat.vault.groups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** vault-service's table of resource groups, keyed by subscription and lower-cased name. */
@ApplicationScoped
public class ResourceGroupStore {

    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };

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
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT (SELECT COUNT(*) FROM vault WHERE LOWER(subscription_id) = LOWER(?) "
                        + "AND LOWER(resource_group) = ?) + (SELECT COUNT(*) FROM virtual_network_meta "
                        + "WHERE SUBSTRING(id_key, 1, ?) = ?)")) {
            bind(s, subscription, key(name), prefix.length(), prefix);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("resource group query failed: " + e.getMessage(), e);
        }
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
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            List<ResourceGroup> groups = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    groups.add(new ResourceGroup(rs.getString("subscription_id"), rs.getString("name"),
                            rs.getString("location"), json.readValue(rs.getString("tags"), TAGS)));
                }
            }
            return groups;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("resource group query failed: " + e.getMessage(), e);
        }
    }

    private int execute(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("resource group update failed: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }
}
