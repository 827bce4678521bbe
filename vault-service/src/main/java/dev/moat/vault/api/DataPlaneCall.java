package dev.moat.vault.api;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;

import io.vertx.core.http.HttpServerRequest;

/**
 * What every data-plane endpoint takes besides its own path segments and body, bound by JAX-RS ({@code @BeanParam}):
 * the api-version (validated inside the pipeline, after every check) and the exchange it came on, whose headers and
 * connection {@link HttpRequests} reads for the pipeline.
 */
public class DataPlaneCall {

    @QueryParam("api-version")
    String apiVersion;

    @Context
    HttpServerRequest http;

    @Context
    HttpHeaders headers;
}
