package dev.moat.vault.api;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.moat.vault.config.VaultConfig;
import dev.moat.vault.origin.VaultHost;
import io.vertx.core.http.HttpServerRequest;

/**
 * Keeps the two planes on their hosts: the management plane and the token endpoint answer only on the bare host
 * ({@code moat.vault.management-hosts}); vault hosts serve only the data plane. Data-plane paths need no check here:
 * the pipeline answers Key Vault's 404 for any host that is not an existing vault. The host is Vert.x's
 * {@code host()}: the Host header over HTTP/1.1, the {@code :authority} pseudo-header over HTTP/2.
 */
@ApplicationScoped
public class HostRouter {

    private static final Pattern BARE_HOST_PATH = Pattern.compile(
            "/subscriptions(/.*)?|/tenants|/?/metadata/endpoints|/providers/Moat\\.Vault/masterKeys"
                    + "|/[^/]+/(oauth2/v2\\.0/(token|authorize)|v2\\.0/\\.well-known/openid-configuration|discovery/v2\\.0/keys)/?"
                    + "|/adfs/(oauth2/(token|authorize)|\\.well-known/openid-configuration|discovery/keys)/?");

    private static final Pattern EMPTY_SEGMENTS = Pattern.compile("/{2,}");
    private static final Pattern RESOURCE_GROUPS = Pattern.compile("^(/subscriptions/[^/]+/)(?i:resourcegroups)(?=/|$)");

    private final VaultHost vaultHosts;
    private final Set<String> managementHosts;

    public HostRouter(VaultConfig config) {
        this.vaultHosts = new VaultHost(config.dnsSuffix());
        this.managementHosts = config.managementHosts().stream().map(h -> h.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }

    /** @return null to go on, or the 404 that ends the request */
    @ServerRequestFilter(preMatching = true)
    public Response route(HttpServerRequest request, ContainerRequestContext context) {
        String path = request.path();
        if (path == null || !BARE_HOST_PATH.matcher(path).matches()) {
            return null;
        }
        String host = request.host();
        if (managementHosts.contains(hostName(host))) {
            String canonical = canonicalArmPath(path);
            if (!canonical.equals(path)) {
                context.setRequestUri(context.getUriInfo().getRequestUriBuilder().replacePath(canonical).build());
            }
            return null;
        }
        if (vaultHosts.vaultOf(host).isPresent()) {
            return KeyVaultErrors.error(404, "NotFound", "'" + path + "' is not served on a vault host: "
                    + "the management plane and the token endpoint are on the bare host (https://localhost).", null);
        }
        return KeyVaultErrors.vaultNotFound(host);
    }

    /**
     * ARM's paths as clients spell them, in the one spelling the resources declare: empty segments dropped (a
     * resource-manager URL with a trailing '/' makes the CLI ask for {@code //metadata/endpoints}; {@code az resource}
     * sends {@code providers/Microsoft.Network//virtualNetworks}) and the case-insensitive {@code resourceGroups}
     * segment spelled so (the resource-group and generic-resource clients send {@code resourcegroups}).
     */
    static String canonicalArmPath(String path) {
        return RESOURCE_GROUPS.matcher(EMPTY_SEGMENTS.matcher(path).replaceAll("/")).replaceFirst("$1resourceGroups");
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
