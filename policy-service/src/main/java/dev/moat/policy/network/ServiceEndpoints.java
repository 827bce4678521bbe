package dev.moat.policy.network;

import java.util.Optional;
import java.util.regex.Pattern;

/** Names of subnet service endpoints ({@code Microsoft.KeyVault}, {@code Microsoft.Storage}, ...). */
public final class ServiceEndpoints {

    /** The endpoint that lets a subnet's traffic reach a vault as coming from that subnet. */
    public static final String KEY_VAULT = "Microsoft.KeyVault";

    // Azure has dozens of endpoint names (Microsoft.Storage.Global, Microsoft.CognitiveServices, ...) and adds
    // more; Moat only acts on Microsoft.KeyVault, so any name of that shape is kept rather than a fixed list.
    private static final Pattern SHAPE = Pattern.compile("microsoft(\\.[a-z][a-z0-9]*)+", Pattern.CASE_INSENSITIVE);

    private ServiceEndpoints() {
    }

    /**
     * The stored spelling of an endpoint name: {@code Microsoft.KeyVault} exactly when it names Key Vault in any
     * case, otherwise {@code Microsoft.} followed by the rest as written. Empty when it is not a
     * {@code Microsoft.X} name.
     */
    public static Optional<String> normalise(String name) {
        if (name == null || !SHAPE.matcher(name.strip()).matches()) {
            return Optional.empty();
        }
        String stripped = name.strip();
        if (stripped.equalsIgnoreCase(KEY_VAULT)) {
            return Optional.of(KEY_VAULT);
        }
        return Optional.of("Microsoft" + stripped.substring("microsoft".length()));
    }
}
