package dev.moat.vault.access;

import java.util.List;

import dev.moat.vault.auth.Identity;

/** The access-policy decision: does any entry of the vault grant the caller the permission an operation needs? */
public final class AccessPolicies {

    private AccessPolicies() {
    }

    public static boolean allows(List<AccessPolicyEntry> entries, Identity caller, PermissionCategory category,
            String permission) {
        for (AccessPolicyEntry entry : entries) {
            if (entry.appliesTo(caller.tenantId(), caller.objectId(), caller.applicationId())
                    && entry.grants(category, permission)) {
                return true;
            }
        }
        return false;
    }
}
