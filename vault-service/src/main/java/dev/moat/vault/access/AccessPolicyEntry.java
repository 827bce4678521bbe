package dev.moat.vault.access;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One ARM {@code accessPolicies} entry.
 *
 * @param tenantId tenant of the principal
 * @param objectId object id of the user, group or service principal
 * @param applicationId when set, the entry is a compound identity: it applies only when this application acts for
 *        the principal; null otherwise
 * @param permissions per category, the permission names in their documented spelling
 */
public record AccessPolicyEntry(String tenantId, String objectId, String applicationId,
        Map<PermissionCategory, List<String>> permissions) {

    public AccessPolicyEntry {
        permissions = Map.copyOf(permissions);
    }

    /** Whether this entry is about the caller (tenant and object ids compared case-insensitively, as GUIDs are). */
    public boolean appliesTo(String callerTenant, String callerObject, String callerApplication) {
        if (!tenantId.equalsIgnoreCase(callerTenant) || !objectId.equalsIgnoreCase(callerObject)) {
            return false;
        }
        return applicationId == null || applicationId.equalsIgnoreCase(callerApplication);
    }

    /** Whether the entry grants {@code permission} of {@code category}; {@code all} grants every one. */
    public boolean grants(PermissionCategory category, String permission) {
        String wanted = permission.toLowerCase(Locale.ROOT);
        for (String held : permissions.getOrDefault(category, List.of())) {
            String h = held.toLowerCase(Locale.ROOT);
            if (h.equals("all") || h.equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}
