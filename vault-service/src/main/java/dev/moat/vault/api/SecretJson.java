package dev.moat.vault.api;

import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.moat.vault.secrets.DeletedSecret;
import dev.moat.vault.secrets.Page;
import dev.moat.vault.secrets.Recovery;
import dev.moat.vault.secrets.Secret;
import dev.moat.vault.secrets.SecretAttributes;
import dev.moat.vault.secrets.SecretPatch;
import dev.moat.vault.secrets.SecretProperties;
import dev.moat.vault.secrets.SecretWrite;
import dev.moat.vault.secrets.SecretsException;

/**
 * Key Vault's secrets JSON (azure-compat.md section 5.1, the 7.5 REST specification): request bodies in, SecretBundle,
 * SecretItem, DeletedSecretBundle and their lists out. Unknown request fields are ignored, as Key Vault does; a field
 * of the wrong type is a 400 naming it. Ids are built from the request's own scheme and host.
 *
 * @param base {@code https://{vault host}[:port]}
 */
record SecretJson(String base, ApiVersion version, Recovery recovery) {

    // ---- requests ----

    static SecretWrite write(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode value = root.get("value");
        if (value != null && !value.isNull() && !value.isTextual()) {
            throw SecretsException.badParameter("'value' must be a string.");
        }
        JsonNode attributes = attributes(root);
        return new SecretWrite(value == null || value.isNull() ? null : value.asText(), text(root, "contentType"),
                tags(root), bool(attributes, "enabled"), time(attributes, "nbf"), time(attributes, "exp"));
    }

    static SecretPatch patch(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode attributes = attributes(root);
        return new SecretPatch(root.has("contentType"), text(root, "contentType"), bool(attributes, "enabled"),
                attributes.has("nbf"), time(attributes, "nbf"), attributes.has("exp"), time(attributes, "exp"),
                root.has("tags") ? tags(root) : null);
    }

    /** The backup blob of a restore request: base64url, as Key Vault sends and expects it. */
    static byte[] backupBlob(ObjectMapper json, byte[] body) {
        String value = text(object(json, body), "value");
        if (value == null || value.isEmpty()) {
            throw SecretsException.badParameter("The request has no 'value': restoring a secret needs the backup blob "
                    + "that backup returned.");
        }
        try {
            return Base64.getUrlDecoder().decode(value.strip().replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw SecretsException.badParameter("'value' is not base64url: it is not a backup blob.");
        }
    }

    private static JsonNode object(ObjectMapper json, byte[] body) {
        if (body == null || body.length == 0) {
            throw SecretsException.badParameter("The request has no body: it needs a JSON object.");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw SecretsException.badParameter("The request body is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw SecretsException.badParameter("The request body must be a JSON object.");
        }
        return root;
    }

    private static JsonNode attributes(JsonNode root) {
        JsonNode attributes = root.get("attributes");
        if (attributes == null || attributes.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!attributes.isObject()) {
            throw SecretsException.badParameter("'attributes' must be an object.");
        }
        return attributes;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw SecretsException.badParameter("'" + field + "' must be a string, not " + value + ".");
        }
        return value.asText();
    }

    private static Boolean bool(JsonNode attributes, String field) {
        JsonNode value = attributes.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw SecretsException.badParameter("'attributes." + field + "' must be true or false, not " + value
                    + ".");
        }
        return value.asBoolean();
    }

    private static Long time(JsonNode attributes, String field) {
        JsonNode value = attributes.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw SecretsException.badParameter("'attributes." + field + "' must be a time in seconds since 1970 "
                    + "(a non-negative integer), not " + value + ".");
        }
        return value.asLong();
    }

    private static Map<String, String> tags(JsonNode root) {
        JsonNode tags = root.get("tags");
        Map<String, String> result = new LinkedHashMap<>();
        if (tags == null || tags.isNull()) {
            return result;
        }
        if (!tags.isObject()) {
            throw SecretsException.badParameter("'tags' must be an object of string values.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = tags.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> tag = it.next();
            if (!tag.getValue().isTextual()) {
                throw SecretsException.badParameter("Tag '" + tag.getKey() + "' must have a string value, not "
                        + tag.getValue() + ".");
            }
            result.put(tag.getKey(), tag.getValue().asText());
        }
        return result;
    }

    // ---- responses ----

    /** SecretBundle with the value (set, get). */
    Map<String, Object> bundle(Secret secret) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("value", secret.value());
        bundle.putAll(bundle(secret.properties()));
        return bundle;
    }

    /** SecretBundle without the value (update, recover, restore). */
    Map<String, Object> bundle(SecretProperties properties) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("id", id(properties, true));
        describe(bundle, properties);
        return bundle;
    }

    /** SecretItem: in the list of secrets its id has no version, in the list of versions it has. */
    Map<String, Object> item(SecretProperties properties, boolean withVersion) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id(properties, withVersion));
        describe(item, properties);
        return item;
    }

    /** DeletedSecretBundle (delete, get deleted): no value, as the real service answers. */
    Map<String, Object> deleted(DeletedSecret deleted) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        deletion(bundle, deleted);
        bundle.putAll(bundle(deleted.properties()));
        return bundle;
    }

    /** DeletedSecretItem. */
    Map<String, Object> deletedItem(DeletedSecret deleted) {
        Map<String, Object> item = new LinkedHashMap<>();
        deletion(item, deleted);
        item.putAll(item(deleted.properties(), false));
        return item;
    }

    /**
     * {@code {"value":[…],"nextLink":…}}: the next link is absolute and carries api-version, the {@code $skiptoken}
     * and {@code maxresults}, because clients follow it verbatim.
     */
    <T> Map<String, Object> list(Page<T> page, List<Map<String, Object>> items, String path, int maxResults) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("value", items);
        list.put("nextLink", page.next() == null ? null : base + path + "?api-version=" + version.value()
                + "&$skiptoken=" + Paging.token(page.next()) + "&maxresults=" + maxResults);
        return list;
    }

    private void deletion(Map<String, Object> target, DeletedSecret deleted) {
        if (deleted.deletedDate() != null) {
            target.put("recoveryId", base + "/deletedsecrets/" + deleted.properties().name());
            target.put("deletedDate", deleted.deletedDate());
            target.put("scheduledPurgeDate", deleted.scheduledPurgeDate());
        }
    }

    private void describe(Map<String, Object> target, SecretProperties properties) {
        if (properties.contentType() != null) {
            target.put("contentType", properties.contentType());
        }
        target.put("attributes", attributes(properties.attributes()));
        if (!properties.tags().isEmpty()) {
            target.put("tags", properties.tags());
        }
    }

    private Map<String, Object> attributes(SecretAttributes attributes) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("enabled", attributes.enabled());
        if (attributes.notBefore() != null) {
            json.put("nbf", attributes.notBefore());
        }
        if (attributes.expires() != null) {
            json.put("exp", attributes.expires());
        }
        json.put("created", attributes.created());
        json.put("updated", attributes.updated());
        json.put("recoveryLevel", recovery.level());
        if (version.hasRecoverableDays()) {
            json.put("recoverableDays", recovery.days());
        }
        return json;
    }

    private String id(SecretProperties properties, boolean withVersion) {
        return base + "/secrets/" + properties.name() + (withVersion ? "/" + properties.version() : "");
    }

    /** Backup result: {@code {"value":"<base64url blob>"}}. */
    static Map<String, Object> backup(byte[] blob) {
        return Map.of("value", Base64.getUrlEncoder().withoutPadding().encodeToString(blob));
    }

}
