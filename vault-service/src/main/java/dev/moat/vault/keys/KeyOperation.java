package dev.moat.vault.keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.moat.vault.objects.VaultObjectException;

/** The JWK {@code key_ops} values Key Vault knows; a key allows only the operations its {@code key_ops} lists. */
public enum KeyOperation {
    ENCRYPT("encrypt"),
    DECRYPT("decrypt"),
    SIGN("sign"),
    VERIFY("verify"),
    WRAP_KEY("wrapKey"),
    UNWRAP_KEY("unwrapKey"),
    IMPORT("import"),
    EXPORT("export");

    /** What a new RSA key allows when the request names no {@code key_ops} (what Key Vault returns). */
    public static final List<KeyOperation> RSA_DEFAULT = List.of(ENCRYPT, DECRYPT, SIGN, VERIFY, WRAP_KEY, UNWRAP_KEY);
    /** What a new EC key allows when the request names none. */
    public static final List<KeyOperation> EC_DEFAULT = List.of(SIGN, VERIFY);

    private final String jwkName;

    KeyOperation(String jwkName) {
        this.jwkName = jwkName;
    }

    /** The name in {@code key_ops}, for example {@code wrapKey}. */
    public String jwkName() {
        return jwkName;
    }

    /**
     * Parses {@code key_ops} (names compared case-insensitively, kept in their documented spelling, duplicates dropped).
     *
     * @throws VaultObjectException 400 naming the first unknown value
     */
    public static List<KeyOperation> parse(List<String> names) {
        Set<KeyOperation> ops = new LinkedHashSet<>();
        for (String name : names) {
            ops.add(of(name));
        }
        return List.copyOf(ops);
    }

    static KeyOperation of(String name) {
        for (KeyOperation op : values()) {
            if (op.jwkName.toLowerCase(Locale.ROOT).equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return op;
            }
        }
        throw VaultObjectException.badParameter("key_ops value '" + KeyRules.shown(name) + "' is not a key operation: "
                + "expected any of " + Arrays.stream(values()).map(KeyOperation::jwkName).collect(Collectors.joining(", "))
                + ".");
    }

    /** Stored form: the names joined by commas. */
    static String join(List<KeyOperation> ops) {
        return ops.stream().map(KeyOperation::jwkName).collect(Collectors.joining(","));
    }

    static List<KeyOperation> split(String stored) {
        List<KeyOperation> ops = new ArrayList<>();
        if (stored != null && !stored.isEmpty()) {
            for (String name : stored.split(",")) {
                ops.add(of(name));
            }
        }
        return List.copyOf(ops);
    }
}
