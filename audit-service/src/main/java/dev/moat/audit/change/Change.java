package dev.moat.audit.change;

import java.time.Instant;
import java.util.Objects;

/**
 * One management change with the resource before and after, as stored. Mirrors
 * {@code moat.events.v1.ChangeEvent}; text fields the event left empty are {@code null}.
 *
 * @param beforeJson the resource's ARM JSON before the change; {@code null} when it was created
 * @param afterJson  the resource's ARM JSON after the change; {@code null} when it was deleted
 */
public record Change(
        String eventId,
        Instant time,
        String actorTenantId,
        String actorObjectId,
        String actorApplicationId,
        ResourceKind kind,
        String resourceId,
        String vault,
        ChangeAction action,
        String beforeJson,
        String afterJson,
        String operation,
        String source,
        String correlationId) {

    public Change {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(action, "action");
    }
}
