package dev.moat.vault.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.moat.vault.keys.Base64Url;
import dev.moat.vault.keys.CryptoResult;
import dev.moat.vault.keys.DeletedKey;
import dev.moat.vault.keys.JsonWebKey;
import dev.moat.vault.keys.KeyAttributes;
import dev.moat.vault.keys.KeyBundle;
import dev.moat.vault.keys.KeyCreate;
import dev.moat.vault.keys.KeyImport;
import dev.moat.vault.keys.KeyPatch;
import dev.moat.vault.keys.KeysException;
import dev.moat.vault.keys.RotationPolicy;
import dev.moat.vault.secrets.Page;
import dev.moat.vault.secrets.Recovery;

/**
 * Key Vault's keys JSON (azure-compat.md section 5.2, the 7.5 REST specification): request bodies in; KeyBundle,
 * KeyItem, DeletedKeyBundle, KeyOperationResult and their lists out. Unknown request fields are ignored, as Key Vault
 * does; a field of the wrong type is a 400 naming it. Byte fields are base64url without padding. Ids ({@code kid},
 * {@code recoveryId}, {@code nextLink}) are built from the request's own scheme and host.
 *
 * @param base {@code https://{vault host}[:port]}
 */
record KeyJson(String base, ApiVersion version, Recovery recovery) {

    // ---- requests ----

    static KeyCreate create(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode attributes = attributes(root);
        refuseExportable(attributes);
        return new KeyCreate(text(root, "kty"), integer(root, "key_size"), longValue(root, "public_exponent"),
                text(root, "crv"), strings(root, "key_ops"), bool(attributes, "enabled"), time(attributes, "nbf"),
                time(attributes, "exp"), tags(root));
    }

    static KeyImport importKey(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode hsm = root.get("Hsm");
        if (hsm != null && hsm.asBoolean(false)) {
            throw KeysException.badParameter("'Hsm' is true: Moat holds software-protected keys only, so a key is "
                    + "imported with Hsm false or absent.");
        }
        JsonNode key = root.get("key");
        if (key == null || key.isNull()) {
            throw KeysException.badParameter("The request has no 'key': importing needs the key as a JWK.");
        }
        if (!key.isObject()) {
            throw KeysException.badParameter("'key' must be a JWK (a JSON object).");
        }
        JsonNode attributes = attributes(root);
        refuseExportable(attributes);
        JsonWebKey jwk = new JsonWebKey(text(key, "kty"), strings(key, "key_ops"), text(key, "n"), text(key, "e"),
                text(key, "d"), text(key, "dp"), text(key, "dq"), text(key, "qi"), text(key, "p"), text(key, "q"),
                text(key, "crv"), text(key, "x"), text(key, "y"));
        return new KeyImport(jwk, bool(attributes, "enabled"), time(attributes, "nbf"), time(attributes, "exp"),
                tags(root));
    }

    static KeyPatch patch(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode attributes = attributes(root);
        refuseExportable(attributes);
        return new KeyPatch(strings(root, "key_ops"), bool(attributes, "enabled"), attributes.has("nbf"),
                time(attributes, "nbf"), attributes.has("exp"), time(attributes, "exp"),
                root.has("tags") ? tags(root) : null);
    }

    /** {@code {"alg":…,"value":…}} of encrypt, decrypt, wrapKey, unwrapKey and sign. */
    static Operation operation(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        return new Operation(required(root, "alg"), Base64Url.decode(required(root, "value"), "value"));
    }

    /** {@code {"alg":…,"digest":…,"value":<signature>}} of verify. */
    static Verification verification(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        return new Verification(required(root, "alg"), Base64Url.decode(required(root, "digest"), "digest"),
                Base64Url.decode(required(root, "value"), "value"));
    }

    /** The backup blob of a restore request. */
    static byte[] backupBlob(ObjectMapper json, byte[] body) {
        return Base64Url.decode(required(object(json, body), "value"), "value");
    }

    /** A rotation policy body: {@code {"lifetimeActions":[{"trigger":{…},"action":{"type"}}],"attributes":{"expiryTime"}}}. */
    record Rotation(String expiryTime, List<RotationPolicy.LifetimeAction> actions) {
    }

    static Rotation rotationPolicy(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode attributes = attributes(root);
        JsonNode actions = root.get("lifetimeActions");
        List<RotationPolicy.LifetimeAction> result = new ArrayList<>();
        if (actions != null && !actions.isNull()) {
            if (!actions.isArray()) {
                throw KeysException.badParameter("'lifetimeActions' must be an array.");
            }
            for (JsonNode action : actions) {
                JsonNode trigger = action.get("trigger");
                JsonNode type = action.get("action");
                if (!action.isObject() || trigger == null || !trigger.isObject() || type == null || !type.isObject()) {
                    throw KeysException.badParameter("Each of 'lifetimeActions' is {\"trigger\":{…},\"action\":"
                            + "{\"type\":…}}.");
                }
                result.add(new RotationPolicy.LifetimeAction(text(trigger, "timeAfterCreate"),
                        text(trigger, "timeBeforeExpiry"), text(type, "type")));
            }
        }
        return new Rotation(text(attributes, "expiryTime"), result);
    }

    /** KeyRotationPolicy: Key Vault's default when the key has none ({@code created} null). */
    Map<String, Object> rotationPolicy(String name, RotationPolicy policy) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", base + "/keys/" + name + "/rotationpolicy");
        List<Map<String, Object>> actions = new ArrayList<>();
        for (RotationPolicy.LifetimeAction action : policy.lifetimeActions()) {
            actions.add(Map.of("trigger", action.timeAfterCreate() != null
                    ? Map.of("timeAfterCreate", action.timeAfterCreate())
                    : Map.of("timeBeforeExpiry", action.timeBeforeExpiry()), "action", Map.of("type", action.type())));
        }
        json.put("lifetimeActions", actions);
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (policy.expiryTime() != null) {
            attributes.put("expiryTime", policy.expiryTime());
        }
        if (policy.created() != null) {
            attributes.put("created", policy.created());
            attributes.put("updated", policy.updated());
        }
        json.put("attributes", attributes);
        return json;
    }

    record Operation(String alg, byte[] value) {
    }

    record Verification(String alg, byte[] digest, byte[] signature) {
    }

    // ---- responses ----

    /** KeyBundle: the public JWK with its {@code kid}, attributes, tags. */
    Map<String, Object> bundle(KeyBundle key) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("key", jwk(key));
        describe(bundle, key);
        return bundle;
    }

    /** KeyItem: in the list of keys its kid has no version, in the list of versions it has. */
    Map<String, Object> item(KeyBundle key, boolean withVersion) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("kid", kid(key, withVersion));
        describe(item, key);
        return item;
    }

    /** DeletedKeyBundle (delete, get deleted). */
    Map<String, Object> deleted(DeletedKey deleted) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        deletion(bundle, deleted);
        bundle.putAll(bundle(deleted.key()));
        return bundle;
    }

    /** DeletedKeyItem. */
    Map<String, Object> deletedItem(DeletedKey deleted) {
        Map<String, Object> item = new LinkedHashMap<>();
        deletion(item, deleted);
        item.putAll(item(deleted.key(), false));
        return item;
    }

    /** KeyOperationResult: {@code {"kid":…,"value":…}}. */
    Map<String, Object> result(CryptoResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kid", base + "/keys/" + result.name() + "/" + result.version());
        json.put("value", Base64Url.encode(result.value()));
        return json;
    }

    /** {@code {"value":[…],"nextLink":…}}, the next link absolute with api-version, as clients follow it verbatim. */
    <T> Map<String, Object> list(Page<T> page, List<Map<String, Object>> items, String path, int maxResults) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("value", items);
        list.put("nextLink", page.next() == null ? null : base + path + "?api-version=" + version.value()
                + "&$skiptoken=" + Paging.token(page.next()) + "&maxresults=" + maxResults);
        return list;
    }

    static Map<String, Object> backup(byte[] blob) {
        return Map.of("value", Base64Url.encode(blob));
    }

    private Map<String, Object> jwk(KeyBundle key) {
        JsonWebKey jwk = key.key();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kid", kid(key, true));
        json.put("kty", jwk.kty());
        json.put("key_ops", jwk.keyOps());
        if (jwk.n() != null) {
            json.put("n", jwk.n());
            json.put("e", jwk.e());
        } else {
            json.put("crv", jwk.crv());
            json.put("x", jwk.x());
            json.put("y", jwk.y());
        }
        return json;
    }

    private void deletion(Map<String, Object> target, DeletedKey deleted) {
        if (deleted.deletedDate() != null) {
            target.put("recoveryId", base + "/deletedkeys/" + deleted.key().name());
            target.put("deletedDate", deleted.deletedDate());
            target.put("scheduledPurgeDate", deleted.scheduledPurgeDate());
        }
    }

    private void describe(Map<String, Object> target, KeyBundle key) {
        target.put("attributes", attributes(key.attributes()));
        if (!key.tags().isEmpty()) {
            target.put("tags", key.tags());
        }
        if (key.managed()) {
            target.put("managed", true);
        }
    }

    private Map<String, Object> attributes(KeyAttributes attributes) {
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

    private String kid(KeyBundle key, boolean withVersion) {
        return base + "/keys/" + key.name() + (withVersion ? "/" + key.version() : "");
    }

    // ---- JSON reading ----

    private static JsonNode object(ObjectMapper json, byte[] body) {
        if (body == null || body.length == 0) {
            throw KeysException.badParameter("The request has no body: it needs a JSON object.");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw KeysException.badParameter("The request body is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw KeysException.badParameter("The request body must be a JSON object.");
        }
        return root;
    }

    private static JsonNode attributes(JsonNode root) {
        JsonNode attributes = root.get("attributes");
        if (attributes == null || attributes.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!attributes.isObject()) {
            throw KeysException.badParameter("'attributes' must be an object.");
        }
        return attributes;
    }

    /** Exportable keys need a release policy and a secure key release, which Moat does not offer. */
    private static void refuseExportable(JsonNode attributes) {
        if (Boolean.TRUE.equals(bool(attributes, "exportable"))) {
            throw KeysException.badParameter("'attributes.exportable' is true: Moat offers no key release, so keys "
                    + "are not exportable.");
        }
    }

    private static String required(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null || value.isEmpty()) {
            throw KeysException.badParameter("The request has no '" + field + "'.");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            // the value is not shown: it may be part of a private key
            throw KeysException.badParameter("'" + field + "' must be a string, not a JSON " + value.getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT) + ".");
        }
        return value.asText();
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw KeysException.badParameter("'" + field + "' must be an integer, not " + shown(value) + ".");
        }
        return value.asInt();
    }

    private static Long longValue(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw KeysException.badParameter("'" + field + "' must be an integer, not " + shown(value) + ".");
        }
        return value.asLong();
    }

    private static List<String> strings(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw KeysException.badParameter("'" + field + "' must be an array of strings, not " + shown(value) + ".");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw KeysException.badParameter("'" + field + "' must be an array of strings; " + shown(element)
                        + " is not a string.");
            }
            result.add(element.asText());
        }
        return result;
    }

    private static Boolean bool(JsonNode attributes, String field) {
        JsonNode value = attributes.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw KeysException.badParameter("'attributes." + field + "' must be true or false, not " + shown(value)
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
            throw KeysException.badParameter("'attributes." + field + "' must be a time in seconds since 1970 (a "
                    + "non-negative integer), not " + shown(value) + ".");
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
            throw KeysException.badParameter("'tags' must be an object of string values.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = tags.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> tag = it.next();
            if (!tag.getValue().isTextual()) {
                throw KeysException.badParameter("Tag '" + tag.getKey() + "' must have a string value, not "
                        + shown(tag.getValue()) + ".");
            }
            result.put(tag.getKey(), tag.getValue().asText());
        }
        return result;
    }

    /** A JSON value in a message, cut short (request values here are never key material: JWK fields are text). */
    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
