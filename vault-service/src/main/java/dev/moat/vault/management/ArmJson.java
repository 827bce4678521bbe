package dev.moat.vault.management;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What every ARM resource body shares, read or written the same way for vaults, networks and resource groups. */
final class ArmJson {

    private ArmJson() {
    }

    /** A resource as ARM shows it: its {@code id}, {@code name}, {@code type}, {@code location} and {@code tags}. */
    static ObjectNode resource(String id, String name, String type, String location, Map<String, String> tags) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", id);
        node.put("name", name);
        node.put("type", type);
        node.put("location", location);
        ObjectNode tagNode = node.putObject("tags");
        tags.forEach(tagNode::put);
        return node;
    }

    /**
     * The elements of an optional list property: none when it is absent or null, a 400 when it is not a list.
     *
     * @param path the property's path, named in the error message
     * @param elements what the list holds, for the error message (for example {@code {"value": ...}})
     */
    static List<JsonNode> optionalList(JsonNode parent, String field, String path, String elements) {
        JsonNode list = parent.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw invalid("Invalid value for " + path + ": a list of " + elements + " is expected.");
        }
        List<JsonNode> items = new ArrayList<>(list.size());
        list.forEach(items::add);
        return items;
    }

    /** 400 {@code BadRequest}: the message names the value and the rule. */
    static ArmException invalid(String message) {
        return ArmException.badRequest("BadRequest", message);
    }
}
