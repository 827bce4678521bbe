package dev.moat.vault.vaults;

import java.util.Map;

/**
 * A vault of the management plane.
 *
 * @param name globally unique vault name (the first label of its host)
 * @param subscriptionId the subscription segment of its ARM id, as first written
 * @param resourceGroup the resource group segment of its ARM id, as first written
 * @param location ARM location
 * @param tags ARM tags
 * @param properties ARM properties (without networkAcls)
 * @param owner who created it
 */
public record Vault(String name, String subscriptionId, String resourceGroup, String location, Map<String, String> tags,
        VaultProperties properties, Owner owner) {

    public Vault {
        tags = Map.copyOf(tags);
    }

    /** The creator of a vault, who may manage it besides the administrators. */
    public record Owner(String tenantId, String objectId) {
    }

    /** ARM id, {@code /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}}. */
    public String id() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.KeyVault/vaults/" + name;
    }

    public boolean isIn(String subscription, String group) {
        return subscriptionId.equalsIgnoreCase(subscription) && (group == null || resourceGroup.equalsIgnoreCase(group));
    }
}
