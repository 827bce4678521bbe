package dev.moat.vault.management;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Renders {@link ArmException} as ARM's error JSON. */
@Provider
public class ArmExceptionMapper implements ExceptionMapper<ArmException> {

    @Override
    public Response toResponse(ArmException exception) {
        return exception.toResponse();
    }
}
