package dev.moat.vault.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.moat.vault.certificates.CertificateBundle;
import dev.moat.vault.certificates.CertificateService;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import dev.moat.vault.vaults.Vault;
import io.smallrye.common.annotation.Blocking;

/**
 * Key Vault certificates, data plane ({@code https://{vault}.{suffix}/certificates/...}), wire-compatible with
 * api-version 7.0 to 7.6 and 2025-07-01 (azure-compat.md section 5.3): create answers 202 with the pending operation,
 * everything else 200. Every method hands its work to {@link DataPlanePipeline}.
 */
@Path("/certificates")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class CertificatesResource extends VaultObjectResource<CertificateJson, CertificateBundle> {

    @Inject
    CertificateService certificates;

    @Override
    ObjectType<CertificateJson, CertificateBundle> describe() {
        return new ObjectType<>(certificates, CertificateJson::new, CertificateJson::bundle, CertificateJson::item,
                action -> Operation.valueOf("CERTIFICATE_" + action));
    }

    /** {@code POST /certificates/{name}/create}: 202 and the pending operation, which completes by itself. */
    @POST
    @Path("/{name}/create")
    public Response create(@PathParam("name") String name, byte[] body, @BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_CREATE, (vault, out) ->
                Response.accepted(out.pending(certificates.create(vault, name, CertificateJson.create(json, body))))
                        .type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Path("/{name}/pending")
    public Response pending(@PathParam("name") String name, @BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_PENDING_GET, (vault, out) ->
                ok(out.pending(certificates.getPending(vault, name))));
    }

    /** {@code POST /certificates/{name}/import}: a PFX (base64) or PEM with its private key. */
    @POST
    @Path("/{name}/import")
    public Response importCertificate(@PathParam("name") String name, byte[] body, @BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_IMPORT, (vault, out) ->
                ok(out.bundle(certificates.importCertificate(vault, name, CertificateJson.importRequest(json, body)))));
    }

    @GET
    @Path("/{name}/policy")
    public Response getPolicy(@PathParam("name") String name, @BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_POLICY_GET, (vault, out) ->
                ok(out.policy(certificates.get(vault, name, null))));
    }

    /** {@code PATCH /certificates/{name}/policy}: the fields given replace theirs; the next versions use it. */
    @PATCH
    @Path("/{name}/policy")
    public Response updatePolicy(@PathParam("name") String name, byte[] body, @BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_POLICY_UPDATE, (vault, out) -> {
            var change = CertificateJson.policyBody(json, body);
            return ok(out.policy(certificates.updatePolicy(vault, name,
                    current -> CertificateJson.policy(json, change, current))));
        });
    }

    @Override
    Object get(Vault vault, CertificateJson out, String name, String version) {
        return out.bundle(certificates.get(vault, name, version));
    }

    /** Enabled, tags, and the policy when given. */
    @Override
    Object update(Vault vault, CertificateJson out, String name, String version, byte[] body) {
        CertificateJson.Update update = CertificateJson.update(json, body);
        if (update.policy() != null) {
            certificates.updatePolicy(vault, name, current -> CertificateJson.policy(json, update.policy(), current));
        }
        return out.bundle(certificates.update(vault, name, version, update.enabled(), update.tags()));
    }
}
