package dev.moat.vault.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import dev.moat.vault.config.VaultConfig;
import dev.moat.vault.pipeline.DataPlaneRequest;
import io.vertx.core.http.HttpServerRequest;

/** Turns the framework's request into the pipeline's {@link DataPlaneRequest}. */
@ApplicationScoped
public class HttpRequests {

    private final String subnetHeader;

    public HttpRequests(VaultConfig config) {
        this.subnetHeader = config.firewall().subnetHeader().orElse(null);
    }

    public DataPlaneRequest of(HttpServerRequest request, HttpHeaders headers) {
        return of(request);
    }

    /** The same from the Vert.x request alone (also before JAX-RS has the request: see {@link RequestLimits}). */
    public DataPlaneRequest of(HttpServerRequest request) {
        return new DataPlaneRequest(
                // Host over HTTP/1.1, :authority over HTTP/2
                request.host(),
                request.method().name(),
                request.path(),
                request.remoteAddress().hostAddress(),
                request.localAddress().port(),
                request.headers().getAll("X-Forwarded-For"),
                subnetHeader == null ? null : request.getHeader(subnetHeader),
                request.getHeader(HttpHeaders.AUTHORIZATION),
                request.getHeader("x-ms-client-request-id"));
    }
}
