package dev.moat.vault.api;

import jakarta.ws.rs.core.HttpHeaders;

import dev.moat.vault.pipeline.DataPlaneRequest;
import io.vertx.core.http.HttpServerRequest;

/** Turns the framework's request into the pipeline's {@link DataPlaneRequest}. */
final class HttpRequests {

    private HttpRequests() {
    }

    static DataPlaneRequest of(HttpServerRequest request, HttpHeaders headers) {
        return new DataPlaneRequest(
                headers.getHeaderString(HttpHeaders.HOST),
                request.method().name(),
                request.path(),
                request.remoteAddress().hostAddress(),
                request.headers().getAll("X-Forwarded-For"),
                headers.getHeaderString("x-ms-client-request-id"));
    }
}
