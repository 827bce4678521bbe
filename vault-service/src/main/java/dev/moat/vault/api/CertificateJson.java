package dev.moat.vault.api;

import static dev.moat.vault.api.ObjectJson.attributes;
import static dev.moat.vault.api.ObjectJson.integer;
import static dev.moat.vault.api.ObjectJson.object;
import static dev.moat.vault.api.ObjectJson.putPresent;
import static dev.moat.vault.api.ObjectJson.section;
import static dev.moat.vault.api.ObjectJson.strings;
import static dev.moat.vault.api.ObjectJson.tags;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.certificates.CertificateBundle;
import dev.moat.vault.certificates.CertificatePolicy;
import dev.moat.vault.certificates.CertificateRequest;
import dev.moat.vault.certificates.PendingCertificate;
import dev.moat.vault.keys.Base64Url;
import dev.moat.vault.objects.Attributes;
import dev.moat.vault.objects.VaultObjectException;

/**
 * What is a certificate's own in Key Vault's JSON (azure-compat.md section 5.3): create, import, update and policy
 * bodies in; CertificateOperation, CertificateBundle (with {@code kid}, {@code sid}, {@code x5t} base64url and
 * {@code cer} in standard base64), CertificatePolicy and CertificateItem out; the rest is {@link ObjectJson}. Unknown
 * request fields (such as {@code preserveCertOrder}) are ignored.
 */
record CertificateJson(ObjectJson wire) {

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
            throw VaultObjectException.badParameter("'policy' must be an object.");
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
                throw VaultObjectException.badParameter("'policy.lifetime_actions' must be an array of objects.");
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
        json.put("id", wire.base() + "/certificates/" + pending.name() + "/pending");
        json.put("issuer", Map.of("name", pending.issuerName() == null ? "Self" : pending.issuerName()));
        json.put("cancellation_requested", false);
        json.put("status", pending.status());
        putPresent(json, "status_details", pending.statusDetails());
        if (pending.errorCode() != null) {
            json.put("error", Map.of("code", pending.errorCode(), "message", pending.errorMessage()));
        }
        if ("completed".equals(pending.status())) {
            json.put("target", wire.base() + "/certificates/" + pending.name());
        }
        json.put("request_id", pending.requestId());
        return json;
    }

    Map<String, Object> bundle(CertificateBundle certificate) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", wire.id("certificates", certificate.name(), certificate.version(), true));
        json.put("kid", wire.base() + "/keys/" + certificate.name() + "/" + certificate.version());
        json.put("sid", wire.base() + "/secrets/" + certificate.name() + "/" + certificate.secretVersion());
        json.put("x5t", Base64Url.encode(thumbprint(certificate.cer())));
        json.put("cer", Base64.getEncoder().encodeToString(certificate.cer()));
        json.put("attributes", wire.attributes(new Attributes(certificate.enabled(), certificate.notBefore(),
                certificate.expires(), certificate.created(), certificate.updated())));
        json.put("policy", policy(certificate));
        ObjectJson.tags(json, certificate.tags());
        return json;
    }

    Map<String, Object> item(CertificateBundle certificate, boolean withVersion) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", wire.id("certificates", certificate.name(), certificate.version(), withVersion));
        json.put("x5t", Base64Url.encode(thumbprint(certificate.cer())));
        json.put("attributes", wire.attributes(new Attributes(certificate.enabled(), certificate.notBefore(),
                certificate.expires(), certificate.created(), certificate.updated())));
        ObjectJson.tags(json, certificate.tags());
        return json;
    }

    /** CertificatePolicy with its id and the policy's own dates. */
    Map<String, Object> policy(CertificateBundle certificate) {
        CertificatePolicy p = certificate.policy();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", wire.base() + "/certificates/" + certificate.name() + "/policy");
        Map<String, Object> keyProps = new LinkedHashMap<>();
        keyProps.put("exportable", p.exportable());
        keyProps.put("kty", p.kty());
        putPresent(keyProps, "key_size", p.keySize());
        putPresent(keyProps, "crv", p.crv());
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
        putPresent(issuer, "cty", p.certificateType());
        json.put("issuer", issuer);
        json.put("attributes", Map.of("enabled", p.enabled(), "created", certificate.policyCreated(), "updated",
                certificate.policyUpdated()));
        return json;
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

    private static Boolean bool(JsonNode node, String field) {
        return ObjectJson.bool(node, field, field);
    }

    /** A string field of a certificate's requests; a refusal names the field, never its value. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            // the value is not shown: it may be a certificate file or its password
            throw VaultObjectException.badParameter("'" + field + "' must be a string.");
        }
        return value.asText();
    }
}
