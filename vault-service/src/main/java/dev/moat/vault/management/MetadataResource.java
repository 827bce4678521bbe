package dev.moat.vault.management;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.moat.vault.auth.Endpoint;
import dev.moat.vault.auth.Endpoints;
import dev.moat.vault.config.VaultConfig;
import dev.moat.vault.issuer.TokenIssuer;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /metadata/endpoints}: ARM's description of its cloud, which {@code az cloud register} reads whatever
 * flags it is given. Public, as in Azure. The sign-in authority it names is the built-in issuer's ADFS-style one
 * ({@code https://localhost:{port}/adfs}), which every Azure CLI can use, including those that cannot switch
 * instance discovery off. {@code keyVaultDns} carries the port, so that the CLI's {@code https://{vault}{suffix}}
 * is a vault host. Moat serves no Microsoft Graph: the graph values are there because the CLI requires them.
 * api-version {@code 2019-05-01} and {@code 2020-06-01} answer a list of clouds, the others one cloud, as ARM does.
 */
@Path("/metadata/endpoints")
@Produces(MediaType.APPLICATION_JSON)
public class MetadataResource {

    @Inject
    Endpoints endpoints;
    @Inject
    VaultConfig config;

    @GET
    public Response get(@QueryParam("api-version") String apiVersion, @Context HttpServerRequest request) {
        ArmNames.apiVersion(apiVersion);
        ObjectNode cloud = cloud(endpoints.of(request.localAddress().port()));
        if (apiVersion.equals("2019-05-01") || apiVersion.equals("2020-06-01")) {
            return Response.ok(JsonNodeFactory.instance.arrayNode().add(cloud)).build();
        }
        return Response.ok(cloud).build();
    }

    private ObjectNode cloud(Endpoint endpoint) {
        String bare = endpoint.bareHostUrl() + "/";
        String graph = "https://graph.localhost/";
        String audience = config.auth().managementAudience();
        ObjectNode cloud = JsonNodeFactory.instance.objectNode();
        cloud.put("name", "Moat");
        cloud.put("resourceManager", bare);
        cloud.put("portal", bare);
        cloud.put("portalEndpoint", bare);
        cloud.put("galleryEndpoint", bare);
        cloud.put("graphEndpoint", graph);
        cloud.put("graphAudience", graph);
        cloud.put("microsoftGraphResourceId", graph);
        ObjectNode authentication = cloud.putObject("authentication");
        authentication.put("loginEndpoint", endpoint.bareHostUrl() + "/" + TokenIssuer.ADFS);
        authentication.putArray("audiences").add(audience);
        authentication.put("tenant", TokenIssuer.ADFS);
        authentication.put("identityProvider", "ADFS");
        String vaultSuffix = endpoint.vaultUri("x").substring("https://x.".length());
        cloud.putObject("suffixes").put("keyVaultDns", vaultSuffix.substring(0, vaultSuffix.length() - 1));
        return cloud;
    }
}
