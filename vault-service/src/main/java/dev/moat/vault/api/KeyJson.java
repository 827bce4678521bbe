package dev.moat.vault.api;

import static dev.moat.vault.api.ObjectJson.attribute;
import static dev.moat.vault.api.ObjectJson.attributes;
import static dev.moat.vault.api.ObjectJson.integer;
import static dev.moat.vault.api.ObjectJson.longValue;
import static dev.moat.vault.api.ObjectJson.object;
import static dev.moat.vault.api.ObjectJson.putPresent;
import static dev.moat.vault.api.ObjectJson.required;
import static dev.moat.vault.api.ObjectJson.strings;
import static dev.moat.vault.api.ObjectJson.tags;
import static dev.moat.vault.api.ObjectJson.text;
import static dev.moat.vault.api.ObjectJson.time;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.keys.Base64Url;
import dev.moat.vault.keys.CryptoResult;
import dev.moat.vault.keys.JsonWebKey;
import dev.moat.vault.keys.KeyBundle;
import dev.moat.vault.keys.KeyCreate;
import dev.moat.vault.keys.KeyImport;
import dev.moat.vault.keys.KeyPatch;
import dev.moat.vault.keys.RotationPolicy;
import dev.moat.vault.objects.VaultObjectException;

/**
 * What is a key's own in Key Vault's JSON (azure-compat.md section 5.2): create, import and update bodies, the
 * cryptography's requests and KeyOperationResult, rotation policies, and the JWK of KeyBundle and KeyItem; the rest
 * is {@link ObjectJson}. Byte fields are base64url without padding.
 */
record KeyJson(ObjectJson wire) {

    // ---- requests ----

    static KeyCreate create(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode attributes = attributes(root);
        refuseExportable(attributes);
        return new KeyCreate(text(root, "kty"), integer(root, "key_size"), longValue(root, "public_exponent"),
                text(root, "crv"), strings(root, "key_ops"), attribute(attributes, "enabled"), time(attributes, "nbf"),
                time(attributes, "exp"), tags(root));
    }

    static KeyImport importKey(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode hsm = root.get("Hsm");
        if (hsm != null && hsm.asBoolean(false)) {
            throw VaultObjectException.badParameter("'Hsm' is true: Moat holds software-protected keys only, so a key is "
                    + "imported with Hsm false or absent.");
        }
        JsonNode key = root.get("key");
        if (key == null || key.isNull()) {
            throw VaultObjectException.badParameter("The request has no 'key': importing needs the key as a JWK.");
        }
        if (!key.isObject()) {
            throw VaultObjectException.badParameter("'key' must be a JWK (a JSON object).");
        }
        JsonNode attributes = attributes(root);
        refuseExportable(attributes);
        JsonWebKey jwk = new JsonWebKey(text(key, "kty"), strings(key, "key_ops"), text(key, "n"), text(key, "e"),
                text(key, "d"), text(key, "dp"), text(key, "dq"), text(key, "qi"), text(key, "p"), text(key, "q"),
                text(key, "crv"), text(key, "x"), text(key, "y"));
        return new KeyImport(jwk, attribute(attributes, "enabled"), time(attributes, "nbf"), time(attributes, "exp"),
                tags(root));
    }

    static KeyPatch patch(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode attributes = attributes(root);
        refuseExportable(attributes);
        return new KeyPatch(strings(root, "key_ops"), attribute(attributes, "enabled"), attributes.has("nbf"),
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
                throw VaultObjectException.badParameter("'lifetimeActions' must be an array.");
            }
            for (JsonNode action : actions) {
                JsonNode trigger = action.get("trigger");
                JsonNode type = action.get("action");
                if (!action.isObject() || trigger == null || !trigger.isObject() || type == null || !type.isObject()) {
                    throw VaultObjectException.badParameter("Each of 'lifetimeActions' is {\"trigger\":{…},\"action\":"
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
        json.put("id", wire.base() + "/keys/" + name + "/rotationpolicy");
        List<Map<String, Object>> actions = new ArrayList<>();
        for (RotationPolicy.LifetimeAction action : policy.lifetimeActions()) {
            actions.add(Map.of("trigger", action.timeAfterCreate() != null
                    ? Map.of("timeAfterCreate", action.timeAfterCreate())
                    : Map.of("timeBeforeExpiry", action.timeBeforeExpiry()), "action", Map.of("type", action.type())));
        }
        json.put("lifetimeActions", actions);
        Map<String, Object> attributes = new LinkedHashMap<>();
        putPresent(attributes, "expiryTime", policy.expiryTime());
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

    /** KeyOperationResult: {@code {"kid":…,"value":…}}. */
    Map<String, Object> result(CryptoResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kid", wire.base() + "/keys/" + result.name() + "/" + result.version());
        json.put("value", Base64Url.encode(result.value()));
        return json;
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

    private void describe(Map<String, Object> target, KeyBundle key) {
        target.put("attributes", wire.attributes(key.attributes()));
        ObjectJson.tags(target, key.tags());
        if (key.managed()) {
            target.put("managed", true);
        }
    }

    private String kid(KeyBundle key, boolean withVersion) {
        return wire.id("keys", key.name(), key.version(), withVersion);
    }

    /** Exportable keys need a release policy and a secure key release, which Moat does not offer. */
    private static void refuseExportable(JsonNode attributes) {
        if (Boolean.TRUE.equals(attribute(attributes, "exportable"))) {
            throw VaultObjectException.badParameter("'attributes.exportable' is true: Moat offers no key release, so "
                    + "keys are not exportable.");
        }
    }
}
