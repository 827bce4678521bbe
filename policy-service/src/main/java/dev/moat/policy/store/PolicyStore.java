package dev.moat.policy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.moat.policy.network.SubnetId;
import dev.moat.policy.network.VirtualNetwork;
import dev.moat.policy.network.VirtualNetworkId;
import dev.moat.policy.network.VirtualNetworks;
import dev.moat.policy.network.Subnet;
import dev.moat.policy.rules.Bypass;
import dev.moat.policy.rules.DefaultAction;
import dev.moat.policy.rules.IpRule;
import dev.moat.policy.rules.NetworkRuleSet;
import dev.moat.policy.rules.NetworkRuleSetValidator;
import dev.moat.policy.rules.SubnetInput;
import dev.moat.policy.rules.Validated;
import dev.moat.policy.rules.VirtualNetworkInput;
import dev.moat.policy.rules.VirtualNetworkRule;
import dev.moat.policy.rules.VirtualNetworkValidator;

/**
 * One cohesive thing because every write of rules and networks takes the same revision lock ({@link #write}).
 * <p>JDBC storage of vaults' network rules and of virtual networks (H2 or PostgreSQL, schema by Flyway). Every write
 * runs in {@link #write}, which serialises writers of all instances on the revision row and bumps the revision,
 * so other instances see the change on their next poll.
 */
@ApplicationScoped
public class PolicyStore {

    private final DataSource dataSource;

    public PolicyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Work done inside one write transaction. */
    @FunctionalInterface
    public interface Write<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Everything stored, for compiling a snapshot. */
    public record State(long revision, Map<String, Optional<NetworkRuleSet>> vaults, VirtualNetworks networks,
            Map<String, NetworkRuleSet> staged) {
    }

    /**
     * Runs {@code work} in a transaction that holds the global write lock (the revision row) and bumps the revision.
     * An exception rolls everything back, so a rejected update changes nothing.
     */
    public <T> T write(Write<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT revision FROM policy_revision WHERE id = 1 FOR UPDATE")) {
                    lock.executeQuery().close();
                }
                T result = work.apply(connection);
                try (PreparedStatement bump = connection.prepareStatement(
                        "UPDATE policy_revision SET revision = revision + 1 WHERE id = 1")) {
                    bump.executeUpdate();
                }
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Runs read-only work on one connection. */
    public <T> T read(Write<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public long revision() {
        try (Connection connection = dataSource.getConnection()) {
            return revision(connection);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public State load() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return new State(revision(connection), vaults(connection), networks(connection),
                        stagedVaults(connection));
            } finally {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static long revision(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT revision FROM policy_revision WHERE id = 1");
                ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Every vault, with its rules or empty for "no network rules". */
    public Map<String, Optional<NetworkRuleSet>> vaults(Connection connection) throws SQLException {
        return eachNamed(connection, "SELECT name FROM vault ORDER BY name", name -> vault(connection, name).orElseThrow());
    }

    /** A vault's rules: empty when the vault is unknown; a present empty Optional when it has no network rules. */
    public Optional<Optional<NetworkRuleSet>> vault(Connection connection, String vault) throws SQLException {
        return ruleSet(connection, normalise(vault), "SELECT has_rules, default_action, bypass FROM vault WHERE name = ?",
                "", "vault_ip_rule", "vault_vnet_rule");
    }

    /** Every vault's staged (audit-only) rule set, by vault name. */
    public Map<String, NetworkRuleSet> stagedVaults(Connection connection) throws SQLException {
        return eachNamed(connection, "SELECT vault FROM vault_staged ORDER BY vault",
                name -> staged(connection, name).orElseThrow());
    }

    /** Loads what each name the query selects (its first column) stands for, keyed and ordered by the names. */
    private static <V> Map<String, V> eachNamed(Connection connection, String names, Load<V> load) throws SQLException {
        List<String> selected = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(names); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                selected.add(rows.getString(1));
            }
        }
        Map<String, V> loaded = new LinkedHashMap<>();
        for (String name : selected) {
            loaded.put(name, load.apply(name));
        }
        return loaded;
    }

    @FunctionalInterface
    private interface Load<V> {
        V apply(String name) throws SQLException;
    }

    /** A vault's staged rule set; empty when it has none. */
    public Optional<NetworkRuleSet> staged(Connection connection, String vault) throws SQLException {
        // a staged row always holds a rule set
        return ruleSet(connection, normalise(vault), "SELECT TRUE, default_action, bypass FROM vault_staged WHERE vault = ?",
                "staged ", "vault_staged_ip_rule", "vault_staged_vnet_rule").flatMap(rules -> rules);
    }

    /**
     * The rule set of vault {@code name} as {@code select} finds its row (whether it has rules, its default action,
     * its bypass) and its rule tables: empty when there is no row; a present empty Optional when it has no rules.
     */
    private Optional<Optional<NetworkRuleSet>> ruleSet(Connection connection, String name, String select, String kind,
            String ipRuleTable, String vnetRuleTable) throws SQLException {
        DefaultAction defaultAction;
        Bypass bypass;
        try (PreparedStatement row = connection.prepareStatement(select)) {
            row.setString(1, name);
            try (ResultSet rows = row.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                if (!rows.getBoolean(1)) {
                    return Optional.of(Optional.empty());
                }
                defaultAction = DefaultAction.fromArm(rows.getString(2))
                        .orElseThrow(() -> corrupt(name, kind + "default_action"));
                bypass = Bypass.fromArm(rows.getString(3)).orElseThrow(() -> corrupt(name, kind + "bypass"));
            }
        }
        return Optional.of(Optional.of(rules(connection, name, defaultAction, bypass, ipRuleTable, vnetRuleTable)));
    }

    /** Stores the vault's staged rule set, replacing any; empty removes it. */
    public void saveStaged(Connection connection, String vault, Optional<NetworkRuleSet> rules) throws SQLException {
        String name = normalise(vault);
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM vault_staged WHERE vault = ?")) {
            delete.setString(1, name);
            delete.executeUpdate();
        }
        if (rules.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO vault_staged (vault, default_action, bypass, updated_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, rules.get().defaultAction().armName());
            insert.setString(3, rules.get().bypass().armName());
            insert.setTimestamp(4, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
        insertRules(connection, name, rules.get(), "vault_staged_ip_rule", "vault_staged_vnet_rule");
    }

    private NetworkRuleSet rules(Connection connection, String name, DefaultAction defaultAction, Bypass bypass,
            String ipTable, String vnetTable) throws SQLException {
        List<IpRule> ipRules = selectInOrder(connection,
                "SELECT rule FROM " + ipTable + " WHERE vault = ? ORDER BY position", name, rows -> {
                    // re-checked per value only: what was valid when stored stays loadable after limits change
                    if (!(NetworkRuleSetValidator.ipRule("ipRules", rows.getString(1)) instanceof Validated.Valid<IpRule> valid)) {
                        throw corrupt(name, "ip rule " + rows.getString(1));
                    }
                    return valid.value();
                });
        List<VirtualNetworkRule> vnetRules = selectInOrder(connection,
                "SELECT subnet_id, ignore_missing FROM " + vnetTable + " WHERE vault = ? ORDER BY position", name,
                rows -> new VirtualNetworkRule(SubnetId.parse(rows.getString(1))
                        .orElseThrow(() -> corrupt(name, "subnet id")), rows.getBoolean(2)));
        return new NetworkRuleSet(defaultAction, bypass, ipRules, vnetRules);
    }

    /** The rows {@code selectSql} finds for {@code owner} (its one parameter), each read by {@code row}, in order. */
    private static <T> List<T> selectInOrder(Connection connection, String selectSql, String owner, Row<T> row)
            throws SQLException {
        List<T> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(selectSql)) {
            select.setString(1, owner);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(row.read(rows));
                }
            }
        }
        return found;
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rows) throws SQLException;
    }

    public void saveVault(Connection connection, String vault, Optional<NetworkRuleSet> rules) throws SQLException {
        String name = normalise(vault);
        deleteVault(connection, name);
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO vault (name, has_rules, default_action, bypass, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, name);
            insert.setBoolean(2, rules.isPresent());
            insert.setString(3, rules.map(r -> r.defaultAction().armName()).orElse(null));
            insert.setString(4, rules.map(r -> r.bypass().armName()).orElse(null));
            insert.setTimestamp(5, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
        if (rules.isEmpty()) {
            return;
        }
        insertRules(connection, name, rules.get(), "vault_ip_rule", "vault_vnet_rule");
    }

    private static void insertRules(Connection connection, String name, NetworkRuleSet rules, String ipTable,
            String vnetTable) throws SQLException {
        insertInOrder(connection, "INSERT INTO " + ipTable + " (vault, position, rule) VALUES (?, ?, ?)", name,
                rules.ipRules().stream().map(IpRule::value).toList());
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + vnetTable + " (vault, position, subnet_id, ignore_missing) VALUES (?, ?, ?, ?)")) {
            int position = 0;
            for (VirtualNetworkRule rule : rules.virtualNetworkRules()) {
                insert.setString(1, name);
                insert.setInt(2, position++);
                insert.setString(3, rule.subnetId().value());
                insert.setBoolean(4, rule.ignoreMissingVnetServiceEndpoint());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Inserts one (owner, position, value) row per value, numbering them from 0 in their order. */
    private static void insertInOrder(Connection connection, String insertSql, String owner, List<String> values)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
            int position = 0;
            for (String value : values) {
                insert.setString(1, owner);
                insert.setInt(2, position++);
                insert.setString(3, value);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** @return whether the vault existed */
    public boolean deleteVault(Connection connection, String vault) throws SQLException {
        String name = normalise(vault);
        for (String table : List.of("vault_ip_rule", "vault_vnet_rule")) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE vault = ?")) {
                delete.setString(1, name);
                delete.executeUpdate();
            }
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM vault WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() > 0;
        }
    }

    public VirtualNetworks networks(Connection connection) throws SQLException {
        Map<String, List<String>> prefixes = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM virtual_network ORDER BY id");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                prefixes.put(rows.getString(1), new ArrayList<>());
            }
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT network_id, prefix FROM virtual_network_prefix ORDER BY network_id, position");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                prefixes.get(rows.getString(1)).add(rows.getString(2));
            }
        }
        Map<String, Map<String, SubnetRow>> subnets = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT network_id, name, address_prefix FROM subnet ORDER BY network_id, name");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                subnets.computeIfAbsent(rows.getString(1), k -> new LinkedHashMap<>())
                        .put(rows.getString(2), new SubnetRow(rows.getString(2), rows.getString(3), new ArrayList<>()));
            }
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT network_id, subnet_name, service FROM subnet_service_endpoint ORDER BY network_id, subnet_name, service");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                subnets.get(rows.getString(1)).get(rows.getString(2)).services().add(rows.getString(3));
            }
        }
        List<VirtualNetwork> networks = new ArrayList<>();
        for (var network : prefixes.entrySet()) {
            List<SubnetInput> subnetInputs = subnets.getOrDefault(network.getKey(), Map.of()).values().stream()
                    .map(s -> new SubnetInput(s.name(), s.prefix(), s.services())).toList();
            var validated = VirtualNetworkValidator.validate(
                    new VirtualNetworkInput(network.getKey(), network.getValue(), subnetInputs));
            if (!(validated instanceof Validated.Valid<VirtualNetwork> valid)) {
                throw corrupt(network.getKey(), validated.violations().toString());
            }
            networks.add(valid.value());
        }
        return VirtualNetworks.of(networks);
    }

    public void saveNetwork(Connection connection, VirtualNetwork network) throws SQLException {
        String id = network.id().value();
        deleteNetwork(connection, network.id());
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO virtual_network (id, updated_at) VALUES (?, ?)")) {
            insert.setString(1, id);
            insert.setTimestamp(2, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
        insertInOrder(connection, "INSERT INTO virtual_network_prefix (network_id, position, prefix) VALUES (?, ?, ?)",
                id, network.addressPrefixes().stream().map(prefix -> prefix.toCanonicalString()).toList());
        for (Subnet subnet : network.subnets()) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO subnet (network_id, name, address_prefix) VALUES (?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, subnet.name());
                insert.setString(3, subnet.addressPrefix().toCanonicalString());
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO subnet_service_endpoint (network_id, subnet_name, service) VALUES (?, ?, ?)")) {
                for (String service : subnet.serviceEndpoints()) {
                    insert.setString(1, id);
                    insert.setString(2, subnet.name());
                    insert.setString(3, service);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    /** @return whether the network existed */
    public boolean deleteNetwork(Connection connection, VirtualNetworkId network) throws SQLException {
        // ids are stored as the user spelled them; ARM compares them case-insensitively
        String existing = null;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM virtual_network WHERE LOWER(id) = ?")) {
            select.setString(1, network.value().toLowerCase(Locale.ROOT));
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    existing = rows.getString(1);
                }
            }
        }
        if (existing == null) {
            return false;
        }
        for (String sql : List.of("DELETE FROM subnet_service_endpoint WHERE network_id = ?",
                "DELETE FROM subnet WHERE network_id = ?",
                "DELETE FROM virtual_network_prefix WHERE network_id = ?",
                "DELETE FROM virtual_network WHERE id = ?")) {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setString(1, existing);
                delete.executeUpdate();
            }
        }
        return true;
    }

    /** Vault names compare case-insensitively, as DNS host names do. */
    public static String normalise(String vault) {
        return vault.toLowerCase(Locale.ROOT);
    }

    private static IllegalStateException corrupt(String what, String detail) {
        return new IllegalStateException("stored policy for " + what + " is unreadable: " + detail);
    }

    private record SubnetRow(String name, String prefix, List<String> services) {
    }
}
