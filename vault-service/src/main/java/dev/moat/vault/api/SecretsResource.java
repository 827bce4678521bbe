package dev.moat.vault.api;

import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import dev.moat.vault.secrets.SecretProperties;
import dev.moat.vault.secrets.SecretService;
import dev.moat.vault.vaults.Vault;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * Key Vault secrets, data plane ({@code https://{vault}.{suffix}/secrets/...}), wire-compatible with api-version 7.0 to
 * 7.6 and 2025-07-01: what is a secret's own (set, get with the value, update); lists, delete, backup and restore are
 * {@link VaultObjectResource}'s.
 */
@Path("/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SecretsResource extends VaultObjectResource<SecretJson, SecretProperties> {

    private final SecretService secrets;

    public SecretsResource(DataPlanePipeline pipeline, HttpRequests requests, SecretService secrets,
            ObjectMapper json) {
        super(pipeline, requests, json, new ObjectType<>(secrets, SecretJson::new, SecretJson::bundle,
                SecretJson::item, action -> Operation.valueOf("SECRET_" + action)));
        this.secrets = secrets;
    }


    /** {@code PUT /secrets/{name}}: a new version (the first creates the secret). */
    @PUT
    @Path("/{name}{slash:/?}")
    public Response set(@PathParam("name") String name, @QueryParam("api-version") String apiVersion, byte[] body,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.SECRET_SET, apiVersion, (vault, out) ->
                ok(out.bundle(secrets.set(vault, name, SecretJson.write(json, body)))));
    }

    @Override
    Object get(Vault vault, SecretJson out, String name, String version) {
        return out.bundle(secrets.get(vault, name, version));
    }

    @Override
    Object update(Vault vault, SecretJson out, String name, String version, byte[] body) {
        return out.bundle(secrets.update(vault, name, version, SecretJson.patch(json, body)));
    }
}
