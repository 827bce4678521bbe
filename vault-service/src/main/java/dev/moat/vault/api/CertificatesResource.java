package dev.moat.vault.api;

import java.util.function.BiFunction;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.certificates.CertificateBundle;
import dev.moat.vault.certificates.CertificateService;
import dev.moat.vault.keys.KeysException;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import dev.moat.vault.secrets.Page;
import dev.moat.vault.secrets.Recovery;
import dev.moat.vault.secrets.SecretsException;
import dev.moat.vault.vaults.Vault;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * Key Vault certificates, data plane ({@code https://{vault}.{suffix}/certificates/...}), wire-compatible with
 * api-version 7.0 to 7.6 and 2025-07-01 (azure-compat.md section 5.3): create answers 202 with the pending operation,
 * everything else 200. Every method hands its work to {@link DataPlanePipeline}.
 */
@Path("/certificates")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class CertificatesResource {

    private final DataPlanePipeline pipeline;
    private final HttpRequests requests;
    private final CertificateService certificates;
    private final ObjectMapper json;

    public CertificatesResource(DataPlanePipeline pipeline, HttpRequests requests, CertificateService certificates,
            ObjectMapper json) {
        this.pipeline = pipeline;
        this.requests = requests;
        this.certificates = certificates;
        this.json = json;
    }

    /** {@code POST /certificates/{name}/create}: 202 and the pending operation, which completes by itself. */
    @POST
    @Path("/{name}/create")
    public Response create(@PathParam("name") String name, @QueryParam("api-version") String apiVersion, byte[] body,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_CREATE, apiVersion, (vault, out) ->
                Response.accepted(out.pending(certificates.create(vault, name, CertificateJson.create(json, body))))
                        .type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Path("/{name}/pending")
    public Response pending(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_PENDING_GET, apiVersion, (vault, out) ->
                ok(out.pending(certificates.getPending(vault, name))));
    }

    /** {@code POST /certificates/{name}/import}: a PFX (base64) or PEM with its private key. */
    @POST
    @Path("/{name}/import")
    public Response importCertificate(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            byte[] body, @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_IMPORT, apiVersion, (vault, out) ->
                ok(out.bundle(certificates.importCertificate(vault, name, CertificateJson.importRequest(json, body)))));
    }

    @GET
    @Path("/{name}{slash:/?}")
    public Response getLatest(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_GET, apiVersion, (vault, out) ->
                ok(out.bundle(certificates.get(vault, name, null))));
    }

    @GET
    @Path("/{name}/{version}")
    public Response getVersion(@PathParam("name") String name, @PathParam("version") String version,
            @QueryParam("api-version") String apiVersion, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_GET, apiVersion, (vault, out) ->
                ok(out.bundle(certificates.get(vault, name, version))));
    }

    @GET
    public Response list(@QueryParam("api-version") String apiVersion, @QueryParam("maxresults") String maxResults,
            @QueryParam("$skiptoken") String skipToken, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_LIST, apiVersion, (vault, out) -> {
            int max = Paging.maxResults(maxResults);
            Page<CertificateBundle> page = certificates.list(vault, Paging.after(skipToken), max);
            return ok(out.list(page, page.items().stream().map(c -> out.item(c, false)).toList(), "/certificates",
                    max));
        });
    }

    @GET
    @Path("/{name}/versions")
    public Response versions(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @QueryParam("maxresults") String maxResults, @QueryParam("$skiptoken") String skipToken,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_LIST_VERSIONS, apiVersion, (vault, out) -> {
            int max = Paging.maxResults(maxResults);
            Page<CertificateBundle> page = certificates.versions(vault, name, Paging.after(skipToken), max);
            return ok(out.list(page, page.items().stream().map(c -> out.item(c, true)).toList(),
                    "/certificates/" + name + "/versions", max));
        });
    }

    @GET
    @Path("/{name}/policy")
    public Response getPolicy(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_POLICY_GET, apiVersion, (vault, out) ->
                ok(out.policy(certificates.get(vault, name, null))));
    }

    /** {@code PATCH /certificates/{name}/policy}: the fields given replace theirs; the next versions use it. */
    @PATCH
    @Path("/{name}/policy")
    public Response updatePolicy(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            byte[] body, @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_POLICY_UPDATE, apiVersion, (vault, out) -> {
            var change = CertificateJson.policyBody(json, body);
            return ok(out.policy(certificates.updatePolicy(vault, name,
                    current -> CertificateJson.policy(json, change, current))));
        });
    }

    /** {@code PATCH /certificates/{name}/{version}}: enabled, tags, and the policy when given. */
    @PATCH
    @Path("/{name}/{version}")
    public Response update(@PathParam("name") String name, @PathParam("version") String version,
            @QueryParam("api-version") String apiVersion, byte[] body, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_UPDATE, apiVersion, (vault, out) ->
                ok(out.bundle(update(vault, name, version, body))));
    }

    @PATCH
    @Path("/{name}{slash:/?}")
    public Response updateLatest(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            byte[] body, @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_UPDATE, apiVersion, (vault, out) ->
                ok(out.bundle(update(vault, name, null, body))));
    }

    private CertificateBundle update(Vault vault, String name, String version, byte[] body) {
        CertificateJson.Update update = CertificateJson.update(json, body);
        if (update.policy() != null) {
            certificates.updatePolicy(vault, name, current -> CertificateJson.policy(json, update.policy(), current));
        }
        return certificates.update(vault, name, version, update.enabled(), update.tags());
    }

    @DELETE
    @Path("/{name}{slash:/?}")
    public Response delete(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_DELETE, apiVersion, (vault, out) ->
                ok(out.deleted(certificates.delete(vault, name))));
    }

    @POST
    @Path("/{name}/backup")
    public Response backup(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_BACKUP, apiVersion, (vault, out) ->
                ok(KeyJson.backup(certificates.backup(vault, name))));
    }

    @POST
    @Path("/restore")
    public Response restore(@QueryParam("api-version") String apiVersion, byte[] body,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return run(http, headers, Operation.CERTIFICATE_RESTORE, apiVersion, (vault, out) ->
                ok(out.bundle(certificates.restore(vault, KeyJson.backupBlob(json, body)))));
    }

    private Response run(HttpServerRequest http, HttpHeaders headers, Operation operation, String apiVersion,
            BiFunction<Vault, CertificateJson, Response> work) {
        return run(pipeline, requests, http, headers, operation, apiVersion, work);
    }

    /** As {@link KeysResource#run}: api-version checked and refusals mapped inside the pipeline. */
    static Response run(DataPlanePipeline pipeline, HttpRequests requests, HttpServerRequest http,
            HttpHeaders headers, Operation operation, String apiVersion,
            BiFunction<Vault, CertificateJson, Response> work) {
        return pipeline.run(requests.of(http, headers), operation, vault -> {
            try {
                CertificateJson out = new CertificateJson(http.scheme() + "://" + http.host(),
                        ApiVersion.parse(apiVersion), Recovery.of(vault.properties()));
                return work.apply(vault, out);
            } catch (KeysException refused) {
                return KeyVaultErrors.of(refused);
            } catch (SecretsException refused) {
                // api-version, paging, and the certificate's secret (for example soft-deleted by hand)
                return KeyVaultErrors.of(refused);
            }
        });
    }

    static Response ok(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
