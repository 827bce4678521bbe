package dev.moat.vault.management;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.moat.proto.policy.v1.NetworkRuleSet;
import dev.moat.vault.access.AccessPolicyEntry;
import dev.moat.vault.access.PermissionCategory;

/**
 * A vault as ARM answers it ({@code Microsoft.KeyVault/vaults}, keyvault.json 2023-02-01), bound by Jackson. The
 * components are in the order ARM writes them; a component that ARM leaves out when it has no value is
 * {@code NON_NULL}, the others are written even when null.
 */
record VaultBody(String id, String name, String type, String location, Map<String, String> tags,
        Properties properties) {

    record Properties(Sku sku, String tenantId, List<AccessPolicy> accessPolicies, boolean enabledForDeployment,
            boolean enabledForDiskEncryption, boolean enabledForTemplateDeployment, boolean enableSoftDelete,
            int softDeleteRetentionInDays, boolean enableRbacAuthorization,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean enablePurgeProtection,
            @JsonInclude(JsonInclude.Include.NON_NULL) NetworkAcls networkAcls,
            @JsonProperty(VaultJson.STAGED_ACLS) @JsonInclude(JsonInclude.Include.NON_NULL)
            NetworkAcls stagedNetworkAcls,
            String vaultUri, String provisioningState, String publicNetworkAccess) {
    }

    record Sku(String family, String name) {
    }

    /**
     * @param permissions per category's JSON name, in {@link PermissionCategory}'s order; absent categories left out
     */
    record AccessPolicy(String tenantId, String objectId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String applicationId, Map<String, List<String>> permissions) {

        static AccessPolicy of(AccessPolicyEntry e) {
            Map<String, List<String>> permissions = new LinkedHashMap<>();
            for (PermissionCategory c : PermissionCategory.values()) {
                List<String> names = e.permissions().get(c);
                if (names != null) {
                    permissions.put(c.jsonName(), names);
                }
            }
            return new AccessPolicy(e.tenantId(), e.objectId(), e.applicationId(), permissions);
        }
    }

    /** ARM's {@code networkAcls}; policy-service's unset bypass and default action are ARM's defaults. */
    record NetworkAcls(String bypass, String defaultAction, List<IpRule> ipRules,
            List<VirtualNetworkRule> virtualNetworkRules) {

        static NetworkAcls of(NetworkRuleSet acls) {
            return new NetworkAcls(acls.getBypass().isEmpty() ? "AzureServices" : acls.getBypass(),
                    acls.getDefaultAction().isEmpty() ? "Allow" : acls.getDefaultAction(),
                    acls.getIpRulesList().stream().map(r -> new IpRule(r.getValue())).toList(),
                    acls.getVirtualNetworkRulesList().stream().map(r -> new VirtualNetworkRule(r.getId(),
                            r.getIgnoreMissingVnetServiceEndpoint())).toList());
        }
    }

    record IpRule(String value) {
    }

    record VirtualNetworkRule(String id, boolean ignoreMissingVnetServiceEndpoint) {
    }
}
