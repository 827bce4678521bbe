package dev.moat.vault.groups;

import java.util.Map;

/**
 * An ARM resource group.
 *
 * @param name as it was first created (ARM keeps the case of the first PUT)
 */
public record ResourceGroup(String subscriptionId, String name, String location, Map<String, String> tags) {

    public ResourceGroup {
        tags = Map.copyOf(tags);
    }

    /** ARM's id, {@code /subscriptions/{s}/resourceGroups/{name}}. */
    public String id() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + name;
    }
}
