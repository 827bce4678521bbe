package dev.moat.vault.api;

import static dev.moat.vault.api.ObjectJson.attribute;
import static dev.moat.vault.api.ObjectJson.attributes;
import static dev.moat.vault.api.ObjectJson.object;
import static dev.moat.vault.api.ObjectJson.tags;
import static dev.moat.vault.api.ObjectJson.text;
import static dev.moat.vault.api.ObjectJson.time;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.objects.VaultObjectException;
import dev.moat.vault.secrets.Secret;
import dev.moat.vault.secrets.SecretPatch;
import dev.moat.vault.secrets.SecretProperties;
import dev.moat.vault.secrets.SecretWrite;

/**
 * What is a secret's own in Key Vault's JSON (azure-compat.md section 5.1): its value and content type, in request
 * bodies and in SecretBundle and SecretItem; the rest is {@link ObjectJson}.
 */
record SecretJson(ObjectJson wire) {

    static SecretWrite write(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode value = root.get("value");
        if (value != null && !value.isNull() && !value.isTextual()) {
            throw VaultObjectException.badParameter("'value' must be a string.");
        }
        JsonNode attributes = attributes(root);
        return new SecretWrite(value == null || value.isNull() ? null : value.asText(), text(root, "contentType"),
                tags(root), attribute(attributes, "enabled"), time(attributes, "nbf"), time(attributes, "exp"));
    }

    static SecretPatch patch(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode attributes = attributes(root);
        return new SecretPatch(root.has("contentType"), text(root, "contentType"), attribute(attributes, "enabled"),
                attributes.has("nbf"), time(attributes, "nbf"), attributes.has("exp"), time(attributes, "exp"),
                root.has("tags") ? tags(root) : null);
    }

    /** SecretBundle with the value (set, get). */
    Map<String, Object> bundle(Secret secret) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("value", secret.value());
        bundle.putAll(bundle(secret.properties()));
        return bundle;
    }

    /** SecretBundle without the value (update, recover, restore). */
    Map<String, Object> bundle(SecretProperties properties) {
        return item(properties, true);
    }

    /** SecretItem: in the list of secrets its id has no version, in the list of versions it has. */
    Map<String, Object> item(SecretProperties properties, boolean withVersion) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", wire.id("secrets", properties.name(), properties.version(), withVersion));
        ObjectJson.putPresent(item, "contentType", properties.contentType());
        item.put("attributes", wire.attributes(properties.attributes()));
        ObjectJson.tags(item, properties.tags());
        return item;
    }
}
