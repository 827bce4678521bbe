package dev.moat.vault.auth;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The public face of this service for one request: the port clients use, and the URLs derived from it. Azure's
 * clients compare these exactly, so there is one place that builds them.
 *
 * @param dnsSuffix parent domain of vault hosts, for example {@code vault.localhost}
 * @param port the port clients use (443 is left out of URLs)
 */
public record Endpoint(String dnsSuffix, int port) {

    private String portSuffix() {
        return port == 443 ? "" : ":" + port;
    }

    /** The bare host, {@code https://localhost[:port]}: management plane, token endpoint, built-in issuer. */
    public String bareHostUrl() {
        return "https://localhost" + portSuffix();
    }

    /**
     * The challenge's {@code resource} and so the data plane's audience: the vault hosts' parent domain with the
     * port unless it is 443 ({@code https://vault.localhost:8443}), which the Python SDK and the Azure CLI compare
     * (azure-compat.md section 9).
     */
    public String dataPlaneResource() {
        return "https://" + dnsSuffix + portSuffix();
    }

    /** Audiences accepted on the data plane: the resource with and without the port, with or without a '/'. */
    public Set<String> dataPlaneAudiences() {
        Set<String> audiences = new LinkedHashSet<>();
        for (String base : new String[] {dataPlaneResource(), "https://" + dnsSuffix}) {
            audiences.add(base);
            audiences.add(base + "/");
        }
        return audiences;
    }

    /** A vault's URI as ARM's {@code vaultUri} and the data plane's ids show it. */
    public String vaultUri(String vault) {
        return "https://" + vault + "." + dnsSuffix + portSuffix() + "/";
    }

    /** The {@code iss} of tokens of the built-in issuer for a tenant. */
    public String builtInIssuer(String tenant) {
        return bareHostUrl() + "/" + tenant + "/v2.0";
    }
}
