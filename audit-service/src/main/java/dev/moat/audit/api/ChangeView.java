package dev.moat.audit.api;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.moat.audit.change.Change;

/**
 * A change as the API shows it: who, when, what, and the resource before and after as the JSON objects they are
 * (or as a string, should a producer have sent text that is not JSON).
 */
public record ChangeView(
        String eventId,
        Instant time,
        Actor actor,
        String kind,
        String resourceId,
        String vault,
        String action,
        JsonNode before,
        JsonNode after,
        String operation,
        String source,
        String correlationId) {

    /** Who made the change; fields are null when unknown. */
    public record Actor(String tenantId, String objectId, String applicationId) {
    }

    static ChangeView of(Change c, ObjectMapper json) {
        return new ChangeView(c.eventId(), c.time(),
                new Actor(c.actorTenantId(), c.actorObjectId(), c.actorApplicationId()),
                c.kind().label(), c.resourceId(), c.vault(), c.action().label(),
                parse(c.beforeJson(), json), parse(c.afterJson(), json), c.operation(), c.source(), c.correlationId());
    }

    private static JsonNode parse(String text, ObjectMapper json) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }
}
