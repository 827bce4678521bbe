package dev.moat.vault.access;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The permission lists of an ARM access policy entry, with the names each accepts (keyvault.json 2023-02-01).
 * Names are compared case-insensitively, as ARM's {@code modelAsString} enums are, and kept in their documented spelling.
 */
public enum PermissionCategory {
    KEYS("keys", List.of("all", "encrypt", "decrypt", "wrapKey", "unwrapKey", "sign", "verify", "get", "list", "create",
            "update", "import", "delete", "backup", "restore", "recover", "purge", "release", "rotate",
            "getrotationpolicy", "setrotationpolicy")),
    SECRETS("secrets", List.of("all", "get", "list", "set", "delete", "backup", "restore", "recover", "purge")),
    CERTIFICATES("certificates", List.of("all", "get", "list", "delete", "create", "import", "update", "managecontacts",
            "getissuers", "listissuers", "setissuers", "deleteissuers", "manageissuers", "recover", "purge", "backup",
            "restore")),
    STORAGE("storage", List.of("all", "get", "list", "delete", "set", "update", "regeneratekey", "recover", "purge",
            "backup", "restore", "setsas", "listsas", "getsas", "deletesas"));

    private final String jsonName;
    private final List<String> names;

    PermissionCategory(String jsonName, List<String> names) {
        this.jsonName = jsonName;
        this.names = names;
    }

    /** The field name in {@code permissions}: keys, secrets, certificates, storage. */
    public String jsonName() {
        return jsonName;
    }

    public List<String> names() {
        return names;
    }

    /** The documented spelling of a permission name given in any case; empty when the name is not one. */
    public Optional<String> canonical(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return names.stream().filter(n -> n.toLowerCase(Locale.ROOT).equals(lower)).findFirst();
    }
}
