package dev.moat.audit.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.moat.audit.auth.Access;
import dev.moat.audit.auth.AuditAccess;

/**
 * The one place that guards the query API: every resource of this service (all under {@code /api/v1}) answers only
 * requests {@link AuditAccess} grants. {@code /q/openapi} is not a resource of this API and stays open: it reveals no
 * events ({@code /q/health} and {@code /q/metrics} are on the management interface, another port). Runs on the worker thread of the (blocking) resources, so that a
 * JWKS fetch never blocks the event loop.
 */
public class AdministratorsOnly {

    private final AuditAccess access;

    @Inject
    AdministratorsOnly(AuditAccess access) {
        this.access = access;
    }

    /** Null lets the request through; otherwise the answer, in the API's error shape. */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response check(ContainerRequestContext request) {
        Access result = access.check(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (result instanceof Access.Granted) {
            return null;
        }
        if (result instanceof Access.Unauthenticated refused) {
            // The reason is in the body only: it may quote claims of the token, which have no place in a header.
            String challenge = refused.tokenPresented() ? "Bearer error=\"invalid_token\"" : "Bearer";
            return ErrorMapper.errorBuilder(Response.Status.UNAUTHORIZED, refused.code(), refused.message())
                    .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
        }
        if (result instanceof Access.Forbidden forbidden) {
            return ErrorMapper.error(Response.Status.FORBIDDEN, "AuthorizationFailed", forbidden.message());
        }
        return ErrorMapper.error(Response.Status.SERVICE_UNAVAILABLE, "ServiceUnavailable",
                ((Access.Unavailable) result).message());
    }
}
