package dev.moat.vault.api;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Pattern;


import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import dev.moat.vault.config.VaultConfig;
import dev.moat.vault.origin.VaultHost;

/**
 * Keeps the two planes on their hosts: the management plane and the token endpoint answer only on the bare host
 * ({@code moat.vault.management-hosts}); vault hosts serve only the data plane. Data-plane paths need no check here:
 * the pipeline answers Key Vault's 404 for any host that is not an existing vault.
 */
@Provider
@PreMatching
public class HostRouter implements ContainerRequestFilter {

    private static final Pattern BARE_HOST_PATH = Pattern.compile(
            "/subscriptions(/.*)?|/[^/]+/(oauth2/v2\\.0/token|v2\\.0/\\.well-known/openid-configuration|discovery/v2\\.0/keys)/?");

    /** Filters are created while the application is built, before runtime configuration exists: read it late. */
    private final jakarta.inject.Provider<VaultConfig> config;
    private volatile VaultHost vaultHosts;
    private volatile Set<String> managementHosts;

    public HostRouter(jakarta.inject.Provider<VaultConfig> config) {
        this.config = config;
    }

    @Override
    public void filter(ContainerRequestContext context) {
        String path = context.getUriInfo().getRequestUri().getRawPath();
        if (!BARE_HOST_PATH.matcher(path).matches()) {
            return;
        }
        if (vaultHosts == null) {
            VaultConfig c = config.get();
            managementHosts = c.managementHosts().stream().map(h -> h.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toSet());
            vaultHosts = new VaultHost(c.dnsSuffix());
        }
        String host = context.getHeaderString(HttpHeaders.HOST);
        if (managementHosts.contains(hostName(host))) {
            return;
        }
        if (vaultHosts.vaultOf(host).isPresent()) {
            context.abortWith(KeyVaultErrors.error(404, "NotFound", "'" + path + "' is not served on a vault host: "
                    + "the management plane and the token endpoint are on the bare host (https://localhost).", null));
            return;
        }
        context.abortWith(KeyVaultErrors.vaultNotFound(host));
    }

    /** The host name of a Host header, lower case, without port; IPv6 literals keep their brackets. */
    static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        return host;
    }
}
