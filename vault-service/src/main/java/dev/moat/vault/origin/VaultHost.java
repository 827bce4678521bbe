package dev.moat.vault.origin;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Routes a request to a vault by its {@code Host} header: {@code https://{vault}.{dnsSuffix}:{port}}.
 * The Azure SDK needs one host per vault (azure-compat.md section 3), so the vault is never taken from the path.
 */
public final class VaultHost {

    /** Azure's vault name rule: 3 to 24 characters, letters, digits and hyphens, starting with a letter. */
    private static final Pattern VAULT_NAME = Pattern.compile("[a-z][a-z0-9-]{1,22}[a-z0-9]");

    private final String suffix;

    public VaultHost(String dnsSuffix) {
        this.suffix = "." + dnsSuffix.toLowerCase(Locale.ROOT);
    }

    /** The vault named by a Host header value, or empty when the host is not a vault host. */
    public Optional<String> vaultOf(String hostHeader) {
        if (hostHeader == null) {
            return Optional.empty();
        }
        String host = stripPort(hostHeader.trim()).toLowerCase(Locale.ROOT);
        if (!host.endsWith(suffix)) {
            return Optional.empty();
        }
        String label = host.substring(0, host.length() - suffix.length());
        return VAULT_NAME.matcher(label).matches() ? Optional.of(label) : Optional.empty();
    }

    private static String stripPort(String host) {
        int colon = host.lastIndexOf(':');
        return colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
    }
}
