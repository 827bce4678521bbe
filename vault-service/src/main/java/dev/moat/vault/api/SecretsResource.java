package dev.moat.vault.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * Key Vault secrets, data plane ({@code https://{vault}.{suffix}/secrets/...}). Every method goes through
 * {@link DataPlanePipeline}. The secret store arrives with the secrets issue; until then a vault holds no secret and
 * a get that passes the firewall answers Key Vault's 404 {@code SecretNotFound}.
 */
@Path("/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SecretsResource {

    private final DataPlanePipeline pipeline;
    private final HttpRequests requests;

    public SecretsResource(DataPlanePipeline pipeline, HttpRequests requests) {
        this.pipeline = pipeline;
        this.requests = requests;
    }

    /** {@code GET /secrets/{name}} and {@code GET /secrets/{name}/} (the SDK's "latest version" form). */
    @GET
    @Path("/{name}{slash:/?}")
    public Response getLatest(@PathParam("name") String name, @Context HttpServerRequest request,
            @Context HttpHeaders headers) {
        return pipeline.run(requests.of(request, headers), Operation.SECRET_GET, () -> KeyVaultErrors.secretNotFound(name));
    }

    @GET
    @Path("/{name}/{version}")
    public Response getVersion(@PathParam("name") String name, @PathParam("version") String version,
            @Context HttpServerRequest request, @Context HttpHeaders headers) {
        return pipeline.run(requests.of(request, headers), Operation.SECRET_GET, () -> KeyVaultErrors.secretNotFound(name));
    }
}
