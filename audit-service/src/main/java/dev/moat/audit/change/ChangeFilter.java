package dev.moat.audit.change;

import java.time.Instant;

/**
 * Which changes a query wants; every criterion is optional ({@code null}) and they all must hold.
 *
 * @param from       inclusive lower bound of the change time
 * @param to         exclusive upper bound of the change time
 * @param resourceId full ARM id of the resource, compared without regard to case
 */
public record ChangeFilter(String vault, ResourceKind kind, String resourceId, Instant from, Instant to) {
}
