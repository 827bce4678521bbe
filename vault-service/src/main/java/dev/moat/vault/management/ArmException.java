package dev.moat.vault.management;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A management request that fails, as ARM answers it: {@code {"error":{"code":…,"message":…}}} with the status.
 * Thrown anywhere in the management plane and rendered by {@link ArmExceptionMapper}.
 */
public class ArmException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public ArmException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ArmException(int status, String code, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public static ArmException badRequest(String code, String message) {
        return new ArmException(400, code, message);
    }

    public Response toResponse() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", getMessage());
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error));
        headers.forEach(response::header);
        return response.build();
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
