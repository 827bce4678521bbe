package dev.moat.vault.management;

import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;

import io.vertx.core.http.HttpServerRequest;

/**
 * What every ARM request carries besides its own path segments, bound by JAX-RS ({@code @BeanParam}): the
 * api-version, the headers (the caller's token, the client's request id), the connection it came on, and the
 * subscription and resource group of its path, null where the path has none. {@link ManagementRequest#begin} checks
 * them all.
 */
public class ArmRequest {

    @QueryParam("api-version")
    String apiVersion;

    @PathParam("subscription")
    String subscription;

    @PathParam("group")
    String group;

    @Context
    HttpServerRequest request;

    @Context
    HttpHeaders headers;
}
