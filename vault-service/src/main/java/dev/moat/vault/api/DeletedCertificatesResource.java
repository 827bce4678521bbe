package dev.moat.vault.api;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.moat.vault.certificates.CertificateService;
import dev.moat.vault.certificates.DeletedCertificate;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import dev.moat.vault.secrets.Page;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * Soft-deleted certificates ({@code /deletedcertificates}): get and list, recover, and purge (204), each with the
 * certificate's key and secret. Through {@link DataPlanePipeline}, like every data-plane operation.
 */
@Path("/deletedcertificates")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeletedCertificatesResource {

    private final DataPlanePipeline pipeline;
    private final HttpRequests requests;
    private final CertificateService certificates;

    public DeletedCertificatesResource(DataPlanePipeline pipeline, HttpRequests requests,
            CertificateService certificates) {
        this.pipeline = pipeline;
        this.requests = requests;
        this.certificates = certificates;
    }

    @GET
    public Response list(@QueryParam("api-version") String apiVersion, @QueryParam("maxresults") String maxResults,
            @QueryParam("$skiptoken") String skipToken, @Context HttpServerRequest http,
            @Context HttpHeaders headers) {
        return CertificatesResource.run(pipeline, requests, http, headers, Operation.CERTIFICATE_LIST_DELETED,
                apiVersion, (vault, out) -> {
                    int max = Paging.maxResults(maxResults);
                    Page<DeletedCertificate> page = certificates.listDeleted(vault, Paging.after(skipToken), max);
                    return CertificatesResource.ok(out.list(page, page.items().stream().map(out::deletedItem)
                            .toList(), "/deletedcertificates", max));
                });
    }

    @GET
    @Path("/{name}{slash:/?}")
    public Response get(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return CertificatesResource.run(pipeline, requests, http, headers, Operation.CERTIFICATE_GET_DELETED,
                apiVersion, (vault, out) -> CertificatesResource.ok(out.deleted(certificates.getDeleted(vault, name))));
    }

    /** {@code DELETE /deletedcertificates/{name}}: purge, 204. */
    @DELETE
    @Path("/{name}{slash:/?}")
    public Response purge(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return CertificatesResource.run(pipeline, requests, http, headers, Operation.CERTIFICATE_PURGE, apiVersion,
                (vault, out) -> {
                    certificates.purge(vault, name);
                    return Response.noContent().build();
                });
    }

    @POST
    @Path("/{name}/recover")
    public Response recover(@PathParam("name") String name, @QueryParam("api-version") String apiVersion,
            @Context HttpServerRequest http, @Context HttpHeaders headers) {
        return CertificatesResource.run(pipeline, requests, http, headers, Operation.CERTIFICATE_RECOVER, apiVersion,
                (vault, out) -> CertificatesResource.ok(out.bundle(certificates.recover(vault, name))));
    }
}
