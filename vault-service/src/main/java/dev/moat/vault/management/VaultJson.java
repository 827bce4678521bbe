package dev.moat.vault.management;

import static dev.moat.vault.management.ArmJson.invalid;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.moat.proto.policy.v1.IpRule;
import dev.moat.proto.policy.v1.NetworkRuleSet;
import dev.moat.proto.policy.v1.VaultNetworkRules;
import dev.moat.proto.policy.v1.VirtualNetworkRule;
import dev.moat.vault.access.AccessPolicyEntry;
import dev.moat.vault.access.PermissionCategory;
import dev.moat.vault.vaults.Vault;
import dev.moat.vault.vaults.VaultProperties;

/**
 * One cohesive thing because it is the one mapping of a vault's ARM JSON, both ways; the answer is the
 * {@link VaultBody} record, bound by Jackson.
 * <p>ARM JSON of {@code Microsoft.KeyVault/vaults} (keyvault.json 2023-02-01), both ways. Every bad value is a 400
 * naming the field and the value; unknown and output-only fields ({@code vaultUri}, {@code provisioningState}, ...)
 * are ignored, so that a PUT of a GET's output is accepted and changes nothing. {@code networkAcls} and the
 * {@code accessPolicies} entries are bound by Jackson ({@link ArmBody}); the top of {@code properties} is read field
 * by field because PATCH tells an absent property (keep) from an explicit null (for example
 * {@code accessPolicies: null} clears, {@code tenantId: null} is refused), which a record component cannot tell apart.
 */
final class VaultJson {

    static final int MAX_ACCESS_POLICIES = 1024;
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** Moat's own property: the audit-only (staged) rule set, which unmodified Azure clients ignore. */
    static final String STAGED_ACLS = "moatStagedNetworkAcls";

    /**
     * What a PUT or PATCH body asks for. {@code networkAcls} is null when absent. {@code hasStagedNetworkAcls} is
     * true when the body names {@code moatStagedNetworkAcls}; then {@code stagedNetworkAcls} null means "clear it".
     */
    record Input(String location, Map<String, String> tags, VaultProperties properties, boolean hasNetworkAcls,
            NetworkRuleSet networkAcls, boolean hasStagedNetworkAcls, NetworkRuleSet stagedNetworkAcls) {
    }

    private VaultJson() {
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** A full PUT body; {@code existing} supplies nothing: PUT replaces the whole vault. */
    static Input readPut(JsonNode body) {
        requireObject(body, "the request body");
        String location = text(body, "location", "location");
        if (location == null || location.isBlank()) {
            throw invalid("The 'location' property is required: the Azure region of the vault, for example 'westus'.");
        }
        JsonNode properties = body.get("properties");
        if (properties == null || properties.isNull()) {
            throw invalid("The 'properties' object is required (tenantId, sku, accessPolicies...).");
        }
        requireObject(properties, "properties");
        VaultProperties defaults = new VaultProperties(null, "A", "standard", List.of(), true, 90, null, false,
                "Enabled", false, false, false);
        VaultProperties merged = readProperties(properties, defaults);
        if (merged.tenantId() == null) {
            throw invalid("The 'properties.tenantId' property is required: the tenant (a GUID) whose identities use "
                    + "the vault.");
        }
        if (!properties.has("sku") || properties.get("sku").isNull()) {
            throw invalid("The 'properties.sku' property is required, for example {\"family\":\"A\",\"name\":"
                    + "\"standard\"}.");
        }
        boolean hasAcls = properties.has("networkAcls") && !properties.get("networkAcls").isNull();
        // absent keeps the staged set even on PUT: an Azure client that never saw the property must not clear it
        return new Input(location.trim(), tags(body), merged, hasAcls,
                hasAcls ? networkAcls(properties.get("networkAcls")) : null,
                properties.has(STAGED_ACLS), staged(properties));
    }

    /** A PATCH body: what it names replaces what the vault has; the rest stays. */
    static Input readPatch(JsonNode body, Vault existing) {
        requireObject(body, "the request body");
        Map<String, String> tags = body.has("tags") ? tags(body) : existing.tags();
        JsonNode properties = body.get("properties");
        if (properties == null || properties.isNull()) {
            return new Input(existing.location(), tags, existing.properties(), false, null, false, null);
        }
        requireObject(properties, "properties");
        boolean hasAcls = properties.has("networkAcls");
        NetworkRuleSet acls = hasAcls && !properties.get("networkAcls").isNull()
                ? networkAcls(properties.get("networkAcls")) : null;
        return new Input(existing.location(), tags, readProperties(properties, existing.properties()), hasAcls, acls,
                properties.has(STAGED_ACLS), staged(properties));
    }

    private static NetworkRuleSet staged(JsonNode properties) {
        JsonNode staged = properties.get(STAGED_ACLS);
        return staged == null || staged.isNull() ? null : networkAcls(staged, "properties." + STAGED_ACLS);
    }

    private static VaultProperties readProperties(JsonNode p, VaultProperties base) {
        String tenantId = base.tenantId();
        if (p.has("tenantId")) {
            tenantId = text(p, "tenantId", "properties.tenantId");
            if (tenantId == null || !ArmNames.GUID.matcher(tenantId).matches()) {
                throw invalid("Invalid value '" + tenantId + "' for properties.tenantId: a tenant id is a GUID.");
            }
        }
        String family = base.skuFamily();
        String sku = base.skuName();
        if (p.has("sku") && !p.get("sku").isNull()) {
            JsonNode s = p.get("sku");
            requireObject(s, "properties.sku");
            String f = text(s, "family", "properties.sku.family");
            if (f != null) {
                if (!f.equalsIgnoreCase("A")) {
                    throw invalid("Invalid value '" + f + "' for properties.sku.family: the only family is 'A'.");
                }
                family = "A";
            }
            String n = text(s, "name", "properties.sku.name");
            if (n == null || !(n.equalsIgnoreCase("standard") || n.equalsIgnoreCase("premium"))) {
                throw invalid("Invalid value '" + n + "' for properties.sku.name: expected 'standard' or 'premium'.");
            }
            sku = n.toLowerCase(Locale.ROOT);
        }
        List<AccessPolicyEntry> policies = p.has("accessPolicies") && !p.get("accessPolicies").isNull()
                ? accessPolicies(p.get("accessPolicies")) : (p.has("accessPolicies") ? List.of() : base.accessPolicies());
        boolean softDelete = bool(p, "enableSoftDelete", "properties.enableSoftDelete", base.enableSoftDelete());
        int retention = base.softDeleteRetentionInDays();
        if (p.has("softDeleteRetentionInDays") && !p.get("softDeleteRetentionInDays").isNull()) {
            JsonNode r = p.get("softDeleteRetentionInDays");
            if (!r.canConvertToInt() || !r.isIntegralNumber() || r.asInt() < 7 || r.asInt() > 90) {
                throw invalid("Invalid value '" + r.asText() + "' for properties.softDeleteRetentionInDays: an "
                        + "integer from 7 to 90 is expected.");
            }
            retention = r.asInt();
        }
        Boolean purgeProtection = base.enablePurgeProtection();
        if (p.has("enablePurgeProtection")) {
            purgeProtection = p.get("enablePurgeProtection").isNull() ? null
                    : bool(p, "enablePurgeProtection", "properties.enablePurgeProtection", false);
        }
        boolean rbac = bool(p, "enableRbacAuthorization", "properties.enableRbacAuthorization",
                base.enableRbacAuthorization());
        if (rbac) {
            throw invalid("Invalid value 'true' for properties.enableRbacAuthorization: Moat authorises data-plane "
                    + "access with access policies only; Azure RBAC is not supported.");
        }
        String publicAccess = base.publicNetworkAccess();
        if (p.has("publicNetworkAccess") && !p.get("publicNetworkAccess").isNull()) {
            String v = text(p, "publicNetworkAccess", "properties.publicNetworkAccess");
            if (v.equalsIgnoreCase("enabled")) {
                publicAccess = "Enabled";
            } else if (v.equalsIgnoreCase("disabled")) {
                publicAccess = "Disabled";
            } else {
                throw invalid("Invalid value '" + v + "' for properties.publicNetworkAccess: expected 'Enabled' or "
                        + "'Disabled'.");
            }
        }
        return new VaultProperties(tenantId, family, sku, policies, softDelete, retention, purgeProtection, false,
                publicAccess,
                bool(p, "enabledForDeployment", "properties.enabledForDeployment", base.enabledForDeployment()),
                bool(p, "enabledForDiskEncryption", "properties.enabledForDiskEncryption",
                        base.enabledForDiskEncryption()),
                bool(p, "enabledForTemplateDeployment", "properties.enabledForTemplateDeployment",
                        base.enabledForTemplateDeployment()));
    }

    private static List<AccessPolicyEntry> accessPolicies(JsonNode list) {
        if (!list.isArray()) {
            throw invalid("Invalid value for properties.accessPolicies: a list of access policy entries is expected.");
        }
        if (list.size() > MAX_ACCESS_POLICIES) {
            throw invalid("properties.accessPolicies has " + list.size() + " entries; a vault has at most "
                    + MAX_ACCESS_POLICIES + ".");
        }
        List<AccessPolicyEntry> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "properties.accessPolicies[" + i + "]";
            AccessPolicyRequest e = requireObject(ArmBody.bind(list.get(i), at, AccessPolicyRequest.class, Map.of()),
                    at);
            String tenant = e.tenantId();
            if (tenant == null || !ArmNames.GUID.matcher(tenant).matches()) {
                throw invalid("Invalid value '" + tenant + "' for " + at + ".tenantId: a tenant id (GUID) is "
                        + "required.");
            }
            String object = e.objectId();
            if (object == null || object.isBlank()) {
                throw invalid("The '" + at + ".objectId' property is required: the object id of a user, group or "
                        + "service principal.");
            }
            String application = e.applicationId();
            if (application != null && !ArmNames.GUID.matcher(application).matches()) {
                throw invalid("Invalid value '" + application + "' for " + at + ".applicationId: an application id "
                        + "is a GUID.");
            }
            Map<String, JsonNode> permissions = e.permissions();
            if (permissions == null) {
                throw invalid("The '" + at + ".permissions' property is required.");
            }
            Map<PermissionCategory, List<String>> granted = new EnumMap<>(PermissionCategory.class);
            for (PermissionCategory category : PermissionCategory.values()) {
                JsonNode names = permissions.get(category.jsonName());
                // read here, not bound: a category this version does not know is ignored whatever its value
                if (names == null || names.isNull()) {
                    continue;
                }
                String field = at + ".permissions." + category.jsonName();
                if (!names.isArray()) {
                    throw invalid("Invalid value for " + field + ": a list of permission names is expected.");
                }
                List<String> canonical = new ArrayList<>();
                for (JsonNode n : names) {
                    String name = n.isTextual() ? n.asText() : n.toString();
                    String c = category.canonical(name).orElseThrow(() -> invalid("Invalid value '" + name + "' in "
                            + field + ". Valid values: " + String.join(", ", category.names()) + "."));
                    if (!canonical.contains(c)) {
                        canonical.add(c);
                    }
                }
                granted.put(category, canonical);
            }
            entries.add(new AccessPolicyEntry(tenant.toLowerCase(Locale.ROOT), object,
                    application == null ? null : application.toLowerCase(Locale.ROOT), granted));
        }
        return entries;
    }

    /** ARM {@code networkAcls} to policy-service's message; the rules themselves are policy-service's to judge. */
    static NetworkRuleSet networkAcls(JsonNode acls) {
        return networkAcls(acls, "properties.networkAcls");
    }

    /** @param where the property's path, named in error messages */
    static NetworkRuleSet networkAcls(JsonNode acls, String where) {
        NetworkAclsRequest request = ArmBody.bind(acls, where, NetworkAclsRequest.class, ACL_LISTS);
        NetworkRuleSet.Builder rules = NetworkRuleSet.newBuilder();
        if (request.defaultAction() != null) {
            rules.setDefaultAction(request.defaultAction());
        }
        if (request.bypass() != null) {
            rules.setBypass(request.bypass());
        }
        List<IpRuleRequest> ipRules = request.ipRules() == null ? List.of() : request.ipRules();
        for (int i = 0; i < ipRules.size(); i++) {
            String at = where + ".ipRules[" + i + "]";
            IpRuleRequest rule = requireObject(ipRules.get(i), at);
            if (rule.value() == null) {
                throw invalid("The '" + at + ".value' property is required: an IPv4 address or CIDR range.");
            }
            rules.addIpRules(IpRule.newBuilder().setValue(rule.value()));
        }
        List<VirtualNetworkRuleRequest> vnetRules = request.virtualNetworkRules() == null ? List.of()
                : request.virtualNetworkRules();
        for (int i = 0; i < vnetRules.size(); i++) {
            String at = where + ".virtualNetworkRules[" + i + "]";
            VirtualNetworkRuleRequest rule = requireObject(vnetRules.get(i), at);
            if (rule.id() == null) {
                throw invalid("The '" + at + ".id' property is required: the full id of a subnet.");
            }
            rules.addVirtualNetworkRules(VirtualNetworkRule.newBuilder().setId(rule.id())
                    .setIgnoreMissingVnetServiceEndpoint(Boolean.TRUE.equals(rule.ignoreMissingVnetServiceEndpoint())));
        }
        return rules.build();
    }

    /** What the list properties of {@code networkAcls} hold, for the 400 when one is no list. */
    private static final Map<String, String> ACL_LISTS = Map.of("ipRules", "{\"value\": ...}",
            "virtualNetworkRules", "{\"id\": ...}");

    /**
     * An {@code accessPolicies} entry as a request names it. The permission lists stay JSON: a name of any JSON type
     * is refused naming its JSON text.
     */
    record AccessPolicyRequest(String tenantId, String objectId, String applicationId,
            Map<String, JsonNode> permissions) {
    }

    /** ARM's {@code networkAcls} as a request names it: any field may be absent or null. */
    record NetworkAclsRequest(String defaultAction, String bypass, List<IpRuleRequest> ipRules,
            List<VirtualNetworkRuleRequest> virtualNetworkRules) {
    }

    record IpRuleRequest(String value) {
    }

    record VirtualNetworkRuleRequest(String id,
            @JsonDeserialize(using = ArmBody.LenientBoolean.class) Boolean ignoreMissingVnetServiceEndpoint) {
    }

    /** A null element of a bound list: the JSON object it should have been is named in the 400. */
    private static <T> T requireObject(T element, String what) {
        if (element == null) {
            throw invalid("Invalid value for " + what + ": a JSON object is expected.");
        }
        return element;
    }

    private static Map<String, String> tags(JsonNode body) {
        JsonNode tags = body.get("tags");
        Map<String, String> result = new LinkedHashMap<>();
        if (tags == null || tags.isNull()) {
            return result;
        }
        requireObject(tags, "tags");
        Iterator<Map.Entry<String, JsonNode>> fields = tags.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                throw invalid("Invalid value for tags." + f.getKey() + ": a tag value is a string.");
            }
            result.put(f.getKey(), f.getValue().asText());
        }
        return result;
    }

    private static String text(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid("Invalid value '" + v + "' for " + path + ": a string is expected.");
        }
        return v.asText();
    }

    private static boolean bool(JsonNode node, String field, String path, boolean otherwise) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asText().toLowerCase(Locale.ROOT));
        }
        throw invalid("Invalid value '" + v.asText() + "' for " + path + ": true or false is expected.");
    }

    private static void requireObject(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw invalid("Invalid value for " + what + ": a JSON object is expected.");
        }
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * @param rules the vault's enforced and staged rules as policy-service holds them; null to leave both out
     * @param vaultUri the vault's data-plane URI
     */
    static ObjectNode write(Vault vault, VaultNetworkRules rules, String vaultUri) {
        VaultProperties p = vault.properties();
        var properties = new VaultBody.Properties(new VaultBody.Sku(p.skuFamily(), p.skuName()), p.tenantId(),
                p.accessPolicies().stream().map(VaultBody.AccessPolicy::of).toList(), p.enabledForDeployment(),
                p.enabledForDiskEncryption(), p.enabledForTemplateDeployment(), p.enableSoftDelete(),
                p.softDeleteRetentionInDays(), p.enableRbacAuthorization(), p.enablePurgeProtection(),
                rules != null && rules.hasNetworkAcls() ? VaultBody.NetworkAcls.of(rules.getNetworkAcls()) : null,
                rules != null && rules.hasStagedNetworkAcls()
                        ? VaultBody.NetworkAcls.of(rules.getStagedNetworkAcls()) : null,
                vaultUri, "Succeeded", p.publicNetworkAccess());
        return MAPPER.valueToTree(new VaultBody(vault.id(), vault.name(), ArmType.VAULTS.name(), vault.location(),
                vault.tags(), properties));
    }

}
