package dev.moat.vault.management;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jboss.logging.Logger;

import dev.moat.vault.auth.Identity;
import dev.moat.vault.groups.ResourceGroup;
import dev.moat.vault.groups.ResourceGroupStore;

/**
 * ARM resource groups ({@code Microsoft.Resources/resourceGroups}): created and deleted by administrators (like
 * virtual networks, they are shared), read by any authenticated caller. A group holds no data of its own: it gives
 * vaults and virtual networks created in it a {@code location} when their PUT names none (the Azure CLI reads the
 * group for that), and a group is deleted only when empty, since deleting its resources with it, as Azure does, would
 * destroy vaults through a call that names none of them.
 */
@ApplicationScoped
public class ResourceGroupService {

    private static final Logger LOG = Logger.getLogger(ResourceGroupService.class);
    private static final Pattern LOCATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 -]{0,63}");
    private static final int MAX_TAGS = 50;

    @Inject
    ResourceGroupStore store;
    @Inject
    ManagementAuth auth;

    public ObjectNode get(String subscription, String name) {
        return json(find(subscription, name));
    }

    public ObjectNode list(String subscription) {
        ObjectNode page = JsonNodeFactory.instance.objectNode();
        var values = page.putArray("value");
        store.list(subscription).forEach(group -> values.add(json(group)));
        return page;
    }

    public VaultService.Result put(Identity caller, String subscription, String name, JsonNode body) {
        String id = "/subscriptions/" + subscription + "/resourceGroups/" + name;
        auth.requireAdministrator(caller, "Microsoft.Resources/subscriptions/resourceGroups/write", id);
        if (body == null || !body.isObject()) {
            throw ArmException.badRequest("InvalidRequestContent", "The request content must be a JSON object with "
                    + "'location' (and optional 'tags').");
        }
        JsonNode location = body.get("location");
        if (location == null || !location.isTextual() || !LOCATION.matcher(location.asText()).matches()) {
            throw ArmException.badRequest("LocationRequired", "The location property is required for this "
                    + "definition and must be 1-64 letters, digits, spaces or '-' (for example 'westus'); got "
                    + (location == null ? "none" : "'" + location + "'") + ".");
        }
        String normalised = location.asText().replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        Map<String, String> tags = tags(body.get("tags"));
        var existing = store.find(subscription, name);
        if (existing.isPresent() && !existing.get().location().equalsIgnoreCase(normalised)) {
            throw new ArmException(409, "InvalidResourceGroupLocation", "Invalid resource group location '"
                    + normalised + "'. The Resource group already exists in location '" + existing.get().location()
                    + "'.");
        }
        boolean created = store.put(new ResourceGroup(subscription, existing.map(ResourceGroup::name).orElse(name),
                normalised, tags));
        LOG.infof("resource group %s %s by oid=%s", id, created ? "created" : "updated", caller.objectId());
        return new VaultService.Result(json(find(subscription, name)), created);
    }

    /** @return false when there was no such group */
    public boolean delete(Identity caller, String subscription, String name) {
        String id = "/subscriptions/" + subscription + "/resourceGroups/" + name;
        auth.requireAdministrator(caller, "Microsoft.Resources/subscriptions/resourceGroups/delete", id);
        if (store.find(subscription, name).isEmpty()) {
            return false;
        }
        if (store.holdsResources(subscription, name)) {
            throw new ArmException(409, "ResourceGroupNotEmpty", "The resource group '" + name + "' still holds "
                    + "vaults or virtual networks: delete them first (Moat never deletes a vault as a side effect).");
        }
        store.delete(subscription, name);
        LOG.infof("resource group %s deleted by oid=%s", id, caller.objectId());
        return true;
    }

    /**
     * Puts the group's location into a create request that names none, so that the vault or virtual network takes
     * the location of its group, as in Azure; other bodies are left as they are.
     */
    public JsonNode withDefaultLocation(String subscription, String group, JsonNode body) {
        if (body instanceof ObjectNode object && (!object.hasNonNull("location")
                || object.get("location").asText().isBlank())) {
            store.find(subscription, group).ifPresent(found -> object.put("location", found.location()));
        }
        return body;
    }

    private ResourceGroup find(String subscription, String name) {
        return store.find(subscription, name).orElseThrow(() -> new ArmException(404, "ResourceGroupNotFound",
                "Resource group '" + name + "' could not be found."));
    }

    private static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return tags;
        }
        if (!node.isObject()) {
            throw ArmException.badRequest("InvalidTagsFormat", "'tags' must be a JSON object of names to strings.");
        }
        if (node.size() > MAX_TAGS) {
            throw ArmException.badRequest("InvalidTagsFormat", "A resource group takes at most " + MAX_TAGS
                    + " tags; got " + node.size() + ".");
        }
        node.fields().forEachRemaining(field -> {
            if (field.getKey().isEmpty() || field.getKey().length() > 512) {
                throw ArmException.badRequest("InvalidTagNameLength", "The tag name '" + field.getKey()
                        + "' must be 1 to 512 characters.");
            }
            if (!field.getValue().isTextual() || field.getValue().asText().length() > 256) {
                throw ArmException.badRequest("InvalidTagValueLength", "The value of tag '" + field.getKey()
                        + "' must be a string of at most 256 characters.");
            }
            tags.put(field.getKey(), field.getValue().asText());
        });
        return tags;
    }

    private static ObjectNode json(ResourceGroup group) {
        ObjectNode node = ArmJson.resource(group.id(), group.name(), "Microsoft.Resources/resourceGroups",
                group.location(), group.tags());
        node.putObject("properties").put("provisioningState", "Succeeded");
        return node;
    }
}
