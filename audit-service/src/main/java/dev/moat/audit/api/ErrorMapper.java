package dev.moat.audit.api;

import java.sql.SQLException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.moat.audit.client.PolicyEvaluationClient;

/**
 * The one place where failures become HTTP answers, all in the {@link ApiError} shape. Internal details (SQL,
 * stack traces) are logged, never returned.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response badParameter(BadParameterException e) {
        return error(Response.Status.BAD_REQUEST, "BadParameter", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(EventNotFoundException e) {
        return error(Response.Status.NOT_FOUND, "NotFound", e.getMessage());
    }

    /** The management plane's answer to an invalid rule update, so that the what-if refuses what it would. */
    @ServerExceptionMapper
    public Response invalidRules(InvalidRuleSetException e) {
        return error(Response.Status.BAD_REQUEST, "BadRequest", e.getMessage());
    }

    @ServerExceptionMapper
    public Response policy(PolicyEvaluationClient.Failure e) {
        return switch (e.kind()) {
            case INVALID -> error(Response.Status.BAD_REQUEST, "BadRequest", e.getMessage());
            case NOT_FOUND -> error(Response.Status.NOT_FOUND, "NotFound", e.getMessage());
            case UNAVAILABLE -> error(Response.Status.SERVICE_UNAVAILABLE, "ServiceUnavailable", "policy-service, "
                    + "which decides the proposed rules, could not be asked; retry later.");
        };
    }

    @ServerExceptionMapper
    public Response database(SQLException e) {
        LOG.errorf("Query failed (SQLState %s): %s", e.getSQLState(), e.getMessage());
        return error(Response.Status.SERVICE_UNAVAILABLE, "ServiceUnavailable", "The audit store is not available.");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String code = status.getReasonPhrase() == null ? "Error" : status.getReasonPhrase().replace(" ", "");
        return error(status, code, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("Request failed", e);
        return error(Response.Status.INTERNAL_SERVER_ERROR, "InternalError", "The request failed unexpectedly.");
    }

    static Response error(Response.StatusType status, String code, String message) {
        return errorBuilder(status, code, message).build();
    }

    static Response.ResponseBuilder errorBuilder(Response.StatusType status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ApiError.of(code, message));
    }
}
