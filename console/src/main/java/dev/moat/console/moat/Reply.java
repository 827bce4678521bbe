package dev.moat.console.moat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An answer of a Moat API, as the user would have had it with curl.
 *
 * @param decisionId the data plane's {@code x-moat-decision-id} (finds the request in the audit trail), or null
 */
public record Reply(int status, JsonNode body, String decisionId) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The items of a list answer (its {@code value}), each mapped, in a list the caller may change; empty when the call failed. */
    public <T> List<T> items(Function<JsonNode, T> map) {
        List<T> items = new ArrayList<>();
        if (ok()) {
            body.path("value").forEach(item -> items.add(map.apply(item)));
        }
        return items;
    }

    /** Key Vault's and ARM's {@code error.message}, or the status when there is none. */
    public String message() {
        JsonNode message = body == null ? null : body.path("error").path("message");
        return message != null && message.isTextual() ? message.asText() : "HTTP " + status;
    }

    /** {@code error.innererror.code}, else {@code error.code}. */
    public String code() {
        if (body == null) {
            return "";
        }
        JsonNode inner = body.path("error").path("innererror").path("code");
        return inner.isTextual() ? inner.asText() : body.path("error").path("code").asText("");
    }
}
