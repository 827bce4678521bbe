package dev.moat.vault.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;

/**
 * A request on a vault host that matches no Key Vault operation (an unknown path, or a method the path does not take)
 * still goes through {@link DataPlanePipeline}: challenged without a token, refused by the firewall like any other, and
 * recorded as a decision event; then answered with Key Vault's error JSON (404 {@code NotFound} or 405
 * {@code MethodNotAllowed}). {@code /q/*} is no exception: health and metrics are on the management interface, not
 * on this port. Other hosts keep the framework's answer.
 */
@ApplicationScoped
public class UnrecognisedRequests {

    @Inject
    DataPlanePipeline pipeline;
    @Inject
    HttpRequests requests;

    @ServerExceptionMapper
    public Uni<Response> unknownPath(NotFoundException e, HttpServerRequest http, HttpHeaders headers) {
        return answer(e, http, headers, 404, "NotFound", "'" + http.path() + "' is not a Key Vault operation this "
                + "vault serves.");
    }

    @ServerExceptionMapper
    public Uni<Response> unknownMethod(NotAllowedException e, HttpServerRequest http, HttpHeaders headers) {
        return answer(e, http, headers, 405, "MethodNotAllowed", "The method " + http.method().name() + " is not "
                + "allowed on '" + http.path() + "'.");
    }

    /** The pipeline blocks (database, gRPC, the spool's write): it runs on a worker, not on the event loop. */
    private Uni<Response> answer(WebApplicationException e, HttpServerRequest http, HttpHeaders headers, int status,
            String code, String message) {
        if (!pipeline.isVaultHost(http.host())) {
            return Uni.createFrom().item(e.getResponse());
        }
        var request = requests.of(http, headers);
        return Uni.createFrom().item(() -> pipeline.run(request, Operation.UNRECOGNISED,
                vault -> KeyVaultErrors.error(status, code, message, null)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
