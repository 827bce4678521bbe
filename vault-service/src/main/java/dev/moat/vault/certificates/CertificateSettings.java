package dev.moat.vault.certificates;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.keys.KeyRules;
import dev.moat.vault.objects.Page;
import dev.moat.vault.objects.VaultObjectException;
import dev.moat.vault.store.Jdbc;
import dev.moat.vault.vaults.Vault;

/**
 * A vault's certificate contacts (who is told about expiring certificates) and certificate issuers (a provider with
 * account and organisation details), kept and returned as Key Vault does. Moat notifies no one and calls no issuer:
 * these are stored for clients that manage them, and an issuer's password is not kept at all.
 */
@ApplicationScoped
public class CertificateSettings {

    /** A certificate contact; at least the e-mail address. */
    public record Contact(String email, String name, String phone) {
    }

    /**
     * A certificate issuer.
     *
     * @param orgDetails Key Vault's {@code org_details} object as JSON, or null
     */
    public record Issuer(String name, String provider, String accountId, String orgDetails, boolean enabled,
            long created, long updated) {
    }

    /** What an issuer PUT or PATCH gives; null fields are not given. */
    public record IssuerChange(String provider, String accountId, String orgDetails, Boolean enabled) {
    }

    private static final TypeReference<List<Contact>> CONTACTS = new TypeReference<>() {
    };

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    public CertificateSettings(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public List<Contact> contacts(Vault vault) {
        return query(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT contacts FROM certificate_contacts WHERE vault = ?")) {
                s.setString(1, vault.name());
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw contactsNotFound();
                    }
                    return read(rs.getString(1));
                }
            }
        });
    }

    public List<Contact> setContacts(Vault vault, List<Contact> contacts) {
        if (contacts.isEmpty()) {
            throw VaultObjectException.badParameter("'contacts' is empty: set at least one contact, or delete the contacts.");
        }
        for (Contact contact : contacts) {
            if (contact.email() == null || !contact.email().contains("@") || contact.email().length() > 254) {
                throw VaultObjectException.badParameter("contact email '" + (contact.email() == null ? "" : contact.email())
                        + "' is not an e-mail address: each contact needs one.");
            }
        }
        String stored = write(contacts);
        return query(c -> {
            update(c, "DELETE FROM certificate_contacts WHERE vault = ?", vault.name());
            update(c, "INSERT INTO certificate_contacts (vault, contacts) VALUES (?, ?)", vault.name(), stored);
            return List.copyOf(contacts);
        });
    }

    /** Removes the contacts; answers those removed. */
    public List<Contact> deleteContacts(Vault vault) {
        List<Contact> removed = contacts(vault);
        query(c -> update(c, "DELETE FROM certificate_contacts WHERE vault = ?", vault.name()));
        return removed;
    }

    public Issuer issuer(Vault vault, String name) {
        String key = KeyRules.nameKey(name, "issuer");
        return query(c -> find(c, vault, key).orElseThrow(() -> issuerNotFound(name)));
    }

    /** Creates or replaces an issuer (PUT), or changes what it names (PATCH, {@code replace} false). */
    public Issuer putIssuer(Vault vault, String name, IssuerChange change, boolean replace) {
        String key = KeyRules.nameKey(name, "issuer");
        long now = clock.instant().getEpochSecond();
        return query(c -> {
            Optional<Issuer> existing = find(c, vault, key);
            if (!replace && existing.isEmpty()) {
                throw issuerNotFound(name);
            }
            Issuer base = replace || existing.isEmpty() ? null : existing.get();
            String provider = change.provider() != null ? change.provider() : base == null ? null : base.provider();
            if (provider == null || provider.isBlank() || provider.length() > 100) {
                throw VaultObjectException.badParameter("The issuer's 'provider' is missing or longer than 100 characters: "
                        + "an issuer names its provider (for example DigiCert or GlobalSign).");
            }
            Issuer issuer = new Issuer(existing.map(Issuer::name).orElse(name), provider,
                    change.accountId() != null || base == null ? change.accountId() : base.accountId(),
                    change.orgDetails() != null || base == null ? change.orgDetails() : base.orgDetails(),
                    change.enabled() != null ? change.enabled() : base == null || base.enabled(),
                    existing.map(Issuer::created).orElse(now), now);
            update(c, "DELETE FROM certificate_issuer WHERE vault = ? AND name_key = ?", vault.name(), key);
            update(c, "INSERT INTO certificate_issuer (vault, name_key, name, provider, account_id, org_details, "
                    + "enabled, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", vault.name(), key,
                    issuer.name(), issuer.provider(), issuer.accountId(), issuer.orgDetails(), issuer.enabled(),
                    issuer.created(), issuer.updated());
            return issuer;
        });
    }

    public Issuer deleteIssuer(Vault vault, String name) {
        Issuer removed = issuer(vault, name);
        query(c -> update(c, "DELETE FROM certificate_issuer WHERE vault = ? AND name_key = ?", vault.name(),
                KeyRules.nameKey(name, "issuer")));
        return removed;
    }

    public Page<Issuer> issuers(Vault vault, String after, int max) {
        List<Issuer> rows = query(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name, provider, account_id, org_details, enabled, "
                    + "created, updated FROM certificate_issuer WHERE vault = ? AND name_key > ? ORDER BY name_key "
                    + "FETCH FIRST ? ROWS ONLY")) {
                s.setString(1, vault.name());
                s.setString(2, after == null ? "" : after);
                s.setInt(3, max + 1);
                List<Issuer> found = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(issuer(rs));
                    }
                }
                return found;
            }
        });
        return new Page<>(rows.subList(0, Math.min(max, rows.size())),
                rows.size() > max ? rows.get(max - 1).name().toLowerCase(java.util.Locale.ROOT) : null);
    }

    private Optional<Issuer> find(Connection c, Vault vault, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name, provider, account_id, org_details, enabled, "
                + "created, updated FROM certificate_issuer WHERE vault = ? AND name_key = ?")) {
            s.setString(1, vault.name());
            s.setString(2, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(issuer(rs)) : Optional.empty();
            }
        }
    }

    private static Issuer issuer(ResultSet rs) throws SQLException {
        return new Issuer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                rs.getLong(6), rs.getLong(7));
    }

    private static VaultObjectException contactsNotFound() {
        return VaultObjectException.notFound("ContactsNotFound", "Contacts not found: this key vault has no certificate "
                + "contacts.");
    }

    private static VaultObjectException issuerNotFound(String name) {
        return VaultObjectException.notFound("CertificateIssuerNotFound", "Issuer not found: " + name);
    }

    /** Runs {@code work} in one transaction. */
    private <T> T query(Jdbc.Work<T> work) {
        return Jdbc.inTransaction(dataSource, "certificate settings store", work);
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        return Jdbc.update(c, sql, args);
    }

    private List<Contact> read(String stored) {
        try {
            return json.readValue(stored, CONTACTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable certificate contacts", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
