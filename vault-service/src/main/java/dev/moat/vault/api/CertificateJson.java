package dev.moat.vault.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.moat.vault.certificates.CertificateBundle;
import dev.moat.vault.certificates.CertificatePolicy;
import dev.moat.vault.certificates.CertificateRequest;
import dev.moat.vault.certificates.DeletedCertificate;
import dev.moat.vault.certificates.PendingCertificate;
import dev.moat.vault.keys.Base64Url;
import dev.moat.vault.keys.KeysException;
import dev.moat.vault.secrets.Page;
import dev.moat.vault.secrets.Recovery;

/**
 * Key Vault's certificates JSON (azure-compat.md section 5.3, the 7.5 REST specification): create, import, update and
 * policy bodies in; CertificateOperation, CertificateBundle (with {@code kid}, {@code sid}, {@code x5t} base64url and
 * {@code cer} in standard base64), CertificatePolicy, CertificateItem and the deleted forms out. Unknown request fields
 * (such as {@code preserveCertOrder}) are ignored.
 *
 * @param base {@code https://{vault host}[:port]}
 */
record CertificateJson(String base, ApiVersion version, Recovery recovery) {

    private static final TypeReference<List<Map<String, Object>>> ACTIONS = new TypeReference<>() {
    };

    // ---- requests ----

    static CertificateRequest create(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode policy = root.get("policy");
        return new CertificateRequest(policy == null || policy.isNull() ? null : policy(json, policy, null), null,
                null, bool(attributes(root), "enabled"), tags(root));
    }

    static CertificateRequest importRequest(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode policy = root.get("policy");
        return new CertificateRequest(policy == null || policy.isNull() ? null : policy(json, policy, null),
                text(root, "value"), text(root, "pwd"), bool(attributes(root), "enabled"), tags(root));
    }

    /** A certificate update: {@code attributes.enabled}, {@code tags}, and optionally a policy change. */
    record Update(Boolean enabled, Map<String, String> tags, JsonNode policy) {
    }

    static Update update(ObjectMapper json, byte[] body) {
        JsonNode root = object(json, body);
        JsonNode policy = root.get("policy");
        return new Update(bool(attributes(root), "enabled"), root.has("tags") ? tags(root) : null,
                policy == null || policy.isNull() ? null : policy);
    }

    static JsonNode policyBody(ObjectMapper json, byte[] body) {
        return object(json, body);
    }

    /**
     * A policy from its JSON; fields it does not name keep their value in {@code base} (a policy update), or take Key
     * Vault's defaults when {@code base} is null (RSA 2048, P-256 for EC, PKCS#12, 12 months, exportable).
     */
    static CertificatePolicy policy(ObjectMapper json, JsonNode policy, CertificatePolicy base) {
        if (!policy.isObject()) {
            throw KeysException.badParameter("'policy' must be an object.");
        }
        JsonNode keyProps = section(policy, "key_props");
        JsonNode secretProps = section(policy, "secret_props");
        JsonNode x509 = section(policy, "x509_props");
        JsonNode sans = section(x509, "sans");
        JsonNode issuer = section(policy, "issuer");
        JsonNode attributes = section(policy, "attributes");
        String kty = or(text(keyProps, "kty"), base == null ? "RSA" : base.kty());
        boolean rsa = kty.startsWith("RSA");
        Integer keySize = or(integer(keyProps, "key_size"), base != null && base.kty().equals(kty) ? base.keySize()
                : null);
        String crv = or(text(keyProps, "crv"), base != null && base.kty().equals(kty) ? base.crv() : null);
        List<Map<String, Object>> actions = base == null ? List.of() : base.lifetimeActions();
        if (policy.has("lifetime_actions") && !policy.get("lifetime_actions").isNull()) {
            try {
                actions = json.convertValue(policy.get("lifetime_actions"), ACTIONS);
            } catch (IllegalArgumentException e) {
                throw KeysException.badParameter("'policy.lifetime_actions' must be an array of objects.");
            }
        }
        Integer months = integer(x509, "validity_months");
        return new CertificatePolicy(kty, rsa ? (keySize == null ? 2048 : keySize) : null,
                rsa ? null : (crv == null ? "P-256" : crv),
                or(bool(keyProps, "exportable"), base == null || base.exportable()),
                or(bool(keyProps, "reuse_key"), base != null && base.reuseKey()),
                or(text(secretProps, "contentType"), base == null ? CertificatePolicy.PKCS12 : base.contentType()),
                or(text(x509, "subject"), base == null ? null : base.subject()),
                or(strings(sans, "dns_names"), base == null ? null : base.dnsNames()),
                or(strings(sans, "emails"), base == null ? null : base.emails()),
                or(strings(sans, "upns"), base == null ? null : base.upns()),
                or(strings(x509, "ekus"), base == null ? null : base.ekus()),
                or(strings(x509, "key_usage"), base == null ? null : base.keyUsage()),
                months != null ? months : base == null ? 12 : base.validityMonths(),
                or(text(issuer, "name"), base == null ? null : base.issuerName()),
                or(text(issuer, "cty"), base == null ? null : base.certificateType()), actions,
                or(bool(attributes, "enabled"), base == null || base.enabled()));
    }

    // ---- responses ----

    Map<String, Object> pending(PendingCertificate pending) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", base + "/certificates/" + pending.name() + "/pending");
        json.put("issuer", Map.of("name", pending.issuerName() == null ? "Self" : pending.issuerName()));
        json.put("cancellation_requested", false);
        json.put("status", pending.status());
        if (pending.statusDetails() != null) {
            json.put("status_details", pending.statusDetails());
        }
        if (pending.errorCode() != null) {
            json.put("error", Map.of("code", pending.errorCode(), "message", pending.errorMessage()));
        }
        if ("completed".equals(pending.status())) {
            json.put("target", base + "/certificates/" + pending.name());
        }
        json.put("request_id", pending.requestId());
        return json;
    }

    Map<String, Object> bundle(CertificateBundle certificate) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id(certificate, true));
        json.put("kid", base + "/keys/" + certificate.name() + "/" + certificate.version());
        json.put("sid", base + "/secrets/" + certificate.name() + "/" + certificate.secretVersion());
        json.put("x5t", Base64Url.encode(thumbprint(certificate.cer())));
        json.put("cer", Base64.getEncoder().encodeToString(certificate.cer()));
        json.put("attributes", attributes(certificate));
        json.put("policy", policy(certificate));
        if (!certificate.tags().isEmpty()) {
            json.put("tags", certificate.tags());
        }
        return json;
    }

    Map<String, Object> item(CertificateBundle certificate, boolean withVersion) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id(certificate, withVersion));
        json.put("x5t", Base64Url.encode(thumbprint(certificate.cer())));
        json.put("attributes", attributes(certificate));
        if (!certificate.tags().isEmpty()) {
            json.put("tags", certificate.tags());
        }
        return json;
    }

    Map<String, Object> deleted(DeletedCertificate deleted) {
        Map<String, Object> json = new LinkedHashMap<>();
        deletion(json, deleted);
        json.putAll(bundle(deleted.certificate()));
        return json;
    }

    Map<String, Object> deletedItem(DeletedCertificate deleted) {
        Map<String, Object> json = new LinkedHashMap<>();
        deletion(json, deleted);
        json.putAll(item(deleted.certificate(), false));
        return json;
    }

    /** CertificatePolicy with its id and the policy's own dates. */
    Map<String, Object> policy(CertificateBundle certificate) {
        CertificatePolicy p = certificate.policy();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", base + "/certificates/" + certificate.name() + "/policy");
        Map<String, Object> keyProps = new LinkedHashMap<>();
        keyProps.put("exportable", p.exportable());
        keyProps.put("kty", p.kty());
        if (p.keySize() != null) {
            keyProps.put("key_size", p.keySize());
        }
        if (p.crv() != null) {
            keyProps.put("crv", p.crv());
        }
        keyProps.put("reuse_key", p.reuseKey());
        json.put("key_props", keyProps);
        json.put("secret_props", Map.of("contentType", p.contentType()));
        Map<String, Object> x509 = new LinkedHashMap<>();
        x509.put("subject", p.subject());
        Map<String, Object> sans = new LinkedHashMap<>();
        if (!p.dnsNames().isEmpty()) {
            sans.put("dns_names", p.dnsNames());
        }
        if (!p.emails().isEmpty()) {
            sans.put("emails", p.emails());
        }
        if (!p.upns().isEmpty()) {
            sans.put("upns", p.upns());
        }
        if (!sans.isEmpty()) {
            x509.put("sans", sans);
        }
        if (!p.ekus().isEmpty()) {
            x509.put("ekus", p.ekus());
        }
        if (!p.keyUsage().isEmpty()) {
            x509.put("key_usage", p.keyUsage());
        }
        x509.put("validity_months", p.validityMonths());
        json.put("x509_props", x509);
        json.put("lifetime_actions", p.lifetimeActions());
        Map<String, Object> issuer = new LinkedHashMap<>();
        issuer.put("name", p.issuerName());
        if (p.certificateType() != null) {
            issuer.put("cty", p.certificateType());
        }
        json.put("issuer", issuer);
        json.put("attributes", Map.of("enabled", p.enabled(), "created", certificate.policyCreated(), "updated",
                certificate.policyUpdated()));
        return json;
    }

    <T> Map<String, Object> list(Page<T> page, List<Map<String, Object>> items, String path, int maxResults) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("value", items);
        list.put("nextLink", page.next() == null ? null : base + path + "?api-version=" + version.value()
                + "&$skiptoken=" + Paging.token(page.next()) + "&maxresults=" + maxResults);
        return list;
    }

    private void deletion(Map<String, Object> target, DeletedCertificate deleted) {
        if (deleted.deletedDate() != null) {
            target.put("recoveryId", base + "/deletedcertificates/" + deleted.certificate().name());
            target.put("deletedDate", deleted.deletedDate());
            target.put("scheduledPurgeDate", deleted.scheduledPurgeDate());
        }
    }

    private Map<String, Object> attributes(CertificateBundle certificate) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("enabled", certificate.enabled());
        json.put("nbf", certificate.notBefore());
        json.put("exp", certificate.expires());
        json.put("created", certificate.created());
        json.put("updated", certificate.updated());
        json.put("recoveryLevel", recovery.level());
        if (version.hasRecoverableDays()) {
            json.put("recoverableDays", recovery.days());
        }
        return json;
    }

    private String id(CertificateBundle certificate, boolean withVersion) {
        return base + "/certificates/" + certificate.name() + (withVersion ? "/" + certificate.version() : "");
    }

    private static byte[] thumbprint(byte[] der) {
        try {
            return java.security.MessageDigest.getInstance("SHA-1").digest(der);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    // ---- JSON reading ----

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }

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

    private static JsonNode section(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!value.isObject()) {
            throw KeysException.badParameter("'" + field + "' must be an object.");
        }
        return value;
    }

    private static JsonNode attributes(JsonNode root) {
        return section(root, "attributes");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            // the value is not shown: it may be a certificate file or its password
            throw KeysException.badParameter("'" + field + "' must be a string.");
        }
        return value.asText();
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw KeysException.badParameter("'" + field + "' must be an integer, not " + value + ".");
        }
        return value.asInt();
    }

    private static Boolean bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw KeysException.badParameter("'" + field + "' must be true or false, not " + value + ".");
        }
        return value.asBoolean();
    }

    private static List<String> strings(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw KeysException.badParameter("'" + field + "' must be an array of strings.");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw KeysException.badParameter("'" + field + "' must be an array of strings; " + element
                        + " is not a string.");
            }
            result.add(element.asText());
        }
        return result;
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
                        + tag.getValue() + ".");
            }
            result.put(tag.getKey(), tag.getValue().asText());
        }
        return result;
    }
}
