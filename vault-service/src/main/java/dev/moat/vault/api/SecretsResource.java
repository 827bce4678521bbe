package dev.moat.vault.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.moat.vault.pipeline.Operation;
import dev.moat.vault.secrets.SecretProperties;
import dev.moat.vault.secrets.SecretService;
import dev.moat.vault.vaults.Vault;
import io.smallrye.common.annotation.Blocking;

/**
 * Key Vault secrets, data plane ({@code https://{vault}.{suffix}/secrets/...}), wire-compatible with api-version 7.0 to
 * 7.6 and 2025-07-01: what is a secret's own (set, get with the value, update); lists, delete, backup and restore are
 * {@link VaultObjectResource}'s.
 */
@Path("/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SecretsResource extends VaultObjectResource<SecretJson, SecretProperties> {

    @Inject
    SecretService secrets;

    @Override
    ObjectType<SecretJson, SecretProperties> describe() {
        return new ObjectType<>(secrets, SecretJson::new, SecretJson::bundle, SecretJson::item,
                action -> Operation.valueOf("SECRET_" + action));
    }

    /** {@code PUT /secrets/{name}}: a new version (the first creates the secret). */
    @PUT
    @Path("/{name}{slash:/?}")
    public Response set(@PathParam("name") String name, byte[] body, @BeanParam DataPlaneCall call) {
        return run(call, Operation.SECRET_SET, (vault, out) ->
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
