package dev.moat.vault.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.moat.vault.keys.Base64Url;
import dev.moat.vault.objects.Attributes;
import dev.moat.vault.objects.Deleted;
import dev.moat.vault.objects.Page;
import dev.moat.vault.objects.Recovery;
import dev.moat.vault.objects.VaultObjectException;

/**
 * The Key Vault JSON that secrets, keys and certificates share (azure-compat.md section 5, the 7.5 REST
 * specification), written once: reading request fields (unknown ones ignored, as Key Vault does; a field of the wrong
 * type is a 400 naming it, its value cut short), and the parts of answers every object has: attributes with the
 * vault's recovery level, tags, the deleted form with {@code recoveryId}, lists with an absolute {@code nextLink},
 * backup blobs. Ids are built from the request's own scheme and host.
 *
 * @param base {@code https://{vault host}[:port]}
 */
record ObjectJson(String base, ApiVersion version, Recovery recovery) {

    // ---- responses ----

    /** The attributes of a version, with the vault's {@code recoveryLevel} (and {@code recoverableDays} from 7.1). */
    Map<String, Object> attributes(Attributes attributes) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("enabled", attributes.enabled());
        putPresent(json, "nbf", attributes.notBefore());
        putPresent(json, "exp", attributes.expires());
        json.put("created", attributes.created());
        json.put("updated", attributes.updated());
        json.put("recoveryLevel", recovery.level());
        if (version.hasRecoverableDays()) {
            json.put("recoverableDays", recovery.days());
        }
        return json;
    }

    /** Puts a field that has a value: Key Vault leaves out the fields it has none for, rather than sending null. */
    static void putPresent(Map<String, Object> target, String field, Object value) {
        if (value != null) {
            target.put(field, value);
        }
    }

    /** Puts the tags, when there are any (Key Vault leaves the field out otherwise). */
    static void tags(Map<String, Object> target, Map<String, String> tags) {
        if (!tags.isEmpty()) {
            target.put("tags", tags);
        }
    }

    /** {@code https://…/{collection}/{name}[/{version}]}: an object's id, with or without its version. */
    String id(String collection, String name, String version, boolean withVersion) {
        return base + "/" + collection + "/" + name + (withVersion ? "/" + version : "");
    }

    /**
     * The deleted form of an object (Deleted…Bundle or Deleted…Item): {@code recoveryId}, {@code deletedDate} and
     * {@code scheduledPurgeDate} (none when the vault purged it at once) before the object's own fields.
     */
    Map<String, Object> deleted(Deleted<?> deleted, String collection, Map<String, Object> object) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (deleted.deletedDate() != null) {
            json.put("recoveryId", base + "/deleted" + collection + "/" + deleted.object().name());
            json.put("deletedDate", deleted.deletedDate());
            json.put("scheduledPurgeDate", deleted.scheduledPurgeDate());
        }
        json.putAll(object);
        return json;
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

    /** Backup result: {@code {"value":"<base64url blob>"}}. */
    static Map<String, Object> backup(byte[] blob) {
        return Map.of("value", Base64Url.encode(blob));
    }

    // ---- requests ----

    /** The backup blob of a restore request: base64url, as Key Vault sends and expects it. */
    static byte[] backupBlob(ObjectMapper json, byte[] body, String noun) {
        String value = text(object(json, body), "value");
        if (value == null || value.isEmpty()) {
            throw VaultObjectException.badParameter("The request has no 'value': restoring a " + noun + " needs the "
                    + "backup blob that backup returned.");
        }
        return Base64Url.decode(value, "value");
    }

    /** The request body as a JSON object, or a 400. */
    static JsonNode object(ObjectMapper json, byte[] body) {
        if (body == null || body.length == 0) {
            throw VaultObjectException.badParameter("The request has no body: it needs a JSON object.");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw VaultObjectException.badParameter("The request body is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw VaultObjectException.badParameter("The request body must be a JSON object.");
        }
        return root;
    }

    /** An object-valued field ({@code attributes}, a policy's sections), empty when absent. */
    static JsonNode section(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!value.isObject()) {
            throw VaultObjectException.badParameter("'" + field + "' must be an object.");
        }
        return value;
    }

    static JsonNode attributes(JsonNode root) {
        return section(root, "attributes");
    }

    /** A string field; a wrong type is named by its JSON type only (the value may be key material). */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw VaultObjectException.badParameter("'" + field + "' must be a string, not a JSON "
                    + value.getNodeType().name().toLowerCase(Locale.ROOT) + ".");
        }
        return value.asText();
    }

    static String required(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null || value.isEmpty()) {
            throw VaultObjectException.badParameter("The request has no '" + field + "'.");
        }
        return value;
    }

    static Integer integer(JsonNode node, String field) {
        JsonNode value = integral(node, field, JsonNode::canConvertToInt);
        return value == null ? null : value.asInt();
    }

    static Long longValue(JsonNode node, String field) {
        JsonNode value = integral(node, field, JsonNode::canConvertToLong);
        return value == null ? null : value.asLong();
    }

    /** An integer field that {@code fits} the Java type it is read into; null when absent. */
    private static JsonNode integral(JsonNode node, String field, Predicate<JsonNode> fits) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !fits.test(value)) {
            throw VaultObjectException.badParameter("'" + field + "' must be an integer, not " + shown(value) + ".");
        }
        return value;
    }

    static List<String> strings(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw VaultObjectException.badParameter("'" + field + "' must be an array of strings, not " + shown(value)
                    + ".");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw VaultObjectException.badParameter("'" + field + "' must be an array of strings; "
                        + shown(element) + " is not a string.");
            }
            result.add(element.asText());
        }
        return result;
    }

    /** A boolean field; {@code label} is how messages name it ({@code attributes.enabled}). */
    static Boolean bool(JsonNode node, String field, String label) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw VaultObjectException.badParameter("'" + label + "' must be true or false, not " + shown(value)
                    + ".");
        }
        return value.asBoolean();
    }

    /** {@code attributes.enabled} and the like. */
    static Boolean attribute(JsonNode attributes, String field) {
        return bool(attributes, field, "attributes." + field);
    }

    /** {@code attributes.nbf} or {@code attributes.exp}: seconds since 1970. */
    static Long time(JsonNode attributes, String field) {
        JsonNode value = attributes.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw VaultObjectException.badParameter("'attributes." + field + "' must be a time in seconds since 1970 "
                    + "(a non-negative integer), not " + shown(value) + ".");
        }
        return value.asLong();
    }

    /** {@code tags}: an object of string values, empty when absent. */
    static Map<String, String> tags(JsonNode root) {
        JsonNode tags = root.get("tags");
        Map<String, String> result = new LinkedHashMap<>();
        if (tags == null || tags.isNull()) {
            return result;
        }
        if (!tags.isObject()) {
            throw VaultObjectException.badParameter("'tags' must be an object of string values.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = tags.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> tag = it.next();
            if (!tag.getValue().isTextual()) {
                throw VaultObjectException.badParameter("Tag '" + tag.getKey() + "' must have a string value, not "
                        + shown(tag.getValue()) + ".");
            }
            result.put(tag.getKey(), tag.getValue().asText());
        }
        return result;
    }

    /** A JSON value in a message, cut short. */
    static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
