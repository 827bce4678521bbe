package dev.moat.console.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.TemplateData;

/** What the templates show, as plain values. */
final class Views {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Views() {
    }

    /** A vault in the list and on its overview. */
    @TemplateData
    record Vault(String name, String group, String location, String uri, String sku, boolean softDelete,
            int retentionDays, boolean purgeProtection, String publicNetworkAccess, String defaultAction,
            List<Policy> policies) {

        static Vault of(JsonNode v) {
            JsonNode p = v.path("properties");
            String id = v.path("id").asText();
            String group = id.replaceAll("(?i).*/resourceGroups/([^/]+)/.*", "$1");
            List<Policy> policies = new ArrayList<>();
            p.path("accessPolicies").forEach(a -> policies.add(new Policy(a.path("objectId").asText(),
                    a.path("applicationId").asText(""), join(a.path("permissions").path("secrets")),
                    join(a.path("permissions").path("keys")), join(a.path("permissions").path("certificates")))));
            return new Vault(v.path("name").asText(), group, v.path("location").asText(), p.path("vaultUri").asText(),
                    p.path("sku").path("name").asText(), p.path("enableSoftDelete").asBoolean(true),
                    p.path("softDeleteRetentionInDays").asInt(90), p.path("enablePurgeProtection").asBoolean(false),
                    p.path("publicNetworkAccess").asText("Enabled"),
                    p.path("networkAcls").path("defaultAction").asText("Allow"), policies);
        }
    }

    @TemplateData
    record Policy(String objectId, String applicationId, String secrets, String keys, String certificates) {
    }

    /** A subnet to pick for a virtual network rule. */
    @TemplateData
    record Subnet(String id, String network, String name, String prefix, boolean keyVaultEndpoint) {
    }

    /** A virtual network with its subnets. */
    @TemplateData
    record Network(String id, String name, String group, String addressSpace, List<Subnet> subnets) {

        static Network of(JsonNode n) {
            List<Subnet> subnets = new ArrayList<>();
            String id = n.path("id").asText();
            n.path("properties").path("subnets").forEach(s -> {
                boolean kv = false;
                for (JsonNode e : s.path("properties").path("serviceEndpoints")) {
                    kv |= e.path("service").asText().equalsIgnoreCase("Microsoft.KeyVault");
                }
                subnets.add(new Subnet(id + "/subnets/" + s.path("name").asText(), n.path("name").asText(),
                        s.path("name").asText(), s.path("properties").path("addressPrefix").asText(), kv));
            });
            return new Network(id, n.path("name").asText(), id.replaceAll("(?i).*/resourceGroups/([^/]+)/.*", "$1"),
                    join(n.path("properties").path("addressSpace").path("addressPrefixes")), subnets);
        }
    }

    /** One row of a rule list on the networking page, with the message policy-service gave about it. */
    @TemplateData
    record Row(int index, String value, String error, boolean offerEnable) {
    }

    static String join(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(e -> values.add(e.asText()));
        return String.join(", ", values);
    }

    /** JSON as maps and lists, which templates read as {@code value.field}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonNode node) {
        return node == null ? Map.of() : JSON.convertValue(node, Map.class);
    }
}
