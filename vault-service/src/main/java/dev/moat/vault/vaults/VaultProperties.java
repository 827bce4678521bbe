package dev.moat.vault.vaults;

import java.util.List;

import dev.moat.vault.access.AccessPolicyEntry;

/**
 * The ARM {@code properties} of a vault that vault-service keeps (everything but {@code networkAcls}, which
 * policy-service keeps, and the output-only {@code vaultUri} and {@code provisioningState}).
 *
 * @param enablePurgeProtection null when never set (ARM leaves it out), true once enabled (irreversible)
 * @param publicNetworkAccess {@code Enabled} or {@code Disabled}
 */
public record VaultProperties(String tenantId, String skuFamily, String skuName, List<AccessPolicyEntry> accessPolicies,
        boolean enableSoftDelete, int softDeleteRetentionInDays, Boolean enablePurgeProtection,
        boolean enableRbacAuthorization, String publicNetworkAccess, boolean enabledForDeployment,
        boolean enabledForDiskEncryption, boolean enabledForTemplateDeployment) {

    public VaultProperties {
        accessPolicies = List.copyOf(accessPolicies);
    }

    public boolean publicNetworkAccessDisabled() {
        return "Disabled".equals(publicNetworkAccess);
    }
}
