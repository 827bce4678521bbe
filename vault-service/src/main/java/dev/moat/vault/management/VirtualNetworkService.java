package dev.moat.vault.management;

import static dev.moat.vault.management.ArmJson.invalid;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.moat.proto.policy.v1.Subnet;
import dev.moat.proto.policy.v1.VirtualNetwork;
import dev.moat.vault.auth.Identity;
import dev.moat.vault.firewall.PolicyAdminClient;
import dev.moat.vault.firewall.PolicyAdminClient.CallContext;

/**
 * {@code Microsoft.Network/virtualNetworks} in ARM's shape. The network, its subnets and their service endpoints are
 * stored by policy-service (which validates them); only ARM's {@code location} and {@code tags} are kept here, so
 * that a GET returns what the PUT sent. Administrators only.
 */
@ApplicationScoped
public class VirtualNetworkService {

    private static final Logger LOG = Logger.getLogger(VirtualNetworkService.class);

    /** ARM metadata of a network kept by vault-service. */
    record Meta(String location, Map<String, String> tags) {
    }

    @Inject
    PolicyAdminClient policy;
    @Inject
    ManagementAuth auth;
    @Inject
    VirtualNetworkMetaStore metadata;
    @Inject
    ObjectMapper json;

    static String id(String subscription, String group, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + group
                + "/providers/Microsoft.Network/virtualNetworks/" + name;
    }

    public ObjectNode get(Identity caller, CallContext ctx, String id) {
        auth.requireReader(caller, ArmType.VIRTUAL_NETWORKS.read(), id);
        VirtualNetwork network = call(() -> policy.virtualNetwork(id, ctx)).orElseThrow(() -> notFound(id));
        return write(network, meta(id));
    }

    /**
     * The networks of a subscription (group null) or resource group, in ARM's list shape {@code {"value":[...]}}.
     * Readers and administrators only, as a single network.
     */
    public ObjectNode list(Identity caller, CallContext ctx, String subscription, String group) {
        String scope = "/subscriptions/" + subscription + (group == null ? "" : "/resourceGroups/" + group);
        auth.requireReader(caller, ArmType.VIRTUAL_NETWORKS.read(), scope);
        String prefix = (scope + (group == null ? "/resourceGroups/" : "/providers/Microsoft.Network/virtualNetworks/"))
                .toLowerCase(Locale.ROOT);
        ObjectNode page = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        ArrayNode values = page.putArray("value");
        for (VirtualNetwork network : call(() -> policy.virtualNetworks(ctx))) {
            if (network.getId().toLowerCase(Locale.ROOT).startsWith(prefix)) {
                values.add(write(network, meta(network.getId())));
            }
        }
        return page;
    }

    /** @return the network as stored, and whether it was created */
    public VaultService.Result put(Identity caller, CallContext ctx, String id, JsonNode body) {
        auth.requireAdministrator(caller, ArmType.VIRTUAL_NETWORKS.write(), id);
        if (body == null || !body.isObject()) {
            throw invalid("Invalid value for the request body: a JSON object is expected.");
        }
        String location = body.hasNonNull("location") ? body.get("location").asText() : null;
        if (location == null || location.isBlank()) {
            throw invalid("The 'location' property is required, for example 'westus'.");
        }
        VirtualNetwork requested = read(id, body);
        boolean existed = call(() -> policy.virtualNetwork(id, ctx)).isPresent();
        VirtualNetwork stored = call(() -> policy.putVirtualNetwork(requested, ctx));
        Meta meta = new Meta(location, tags(body));
        saveMeta(id, meta);
        LOG.infof("virtual network %s %s by oid=%s", id, existed ? "replaced" : "created", caller.objectId());
        return new VaultService.Result(write(stored, meta), !existed);
    }

    /** One subnet in ARM's shape. */
    public ObjectNode getSubnet(Identity caller, CallContext ctx, String networkId, String subnet) {
        auth.requireReader(caller, ArmType.VIRTUAL_NETWORKS.read(), networkId + "/subnets/" + subnet);
        VirtualNetwork network = call(() -> policy.virtualNetwork(networkId, ctx)).orElseThrow(() -> notFound(networkId));
        return subnets(write(network, meta(networkId))).stream()
                .filter(s -> s.path("name").asText().equalsIgnoreCase(subnet)).findFirst()
                .orElseThrow(() -> new ArmException(404, "NotFound", "Resource '" + networkId + "/subnets/" + subnet
                        + "' not found."));
    }

    /**
     * Creates or replaces one subnet of an existing network (what {@code az network vnet subnet update
     * --service-endpoints Microsoft.KeyVault} does: step 2 of the source document). The whole network goes to
     * policy-service, which validates it all or nothing.
     */
    public VaultService.Result putSubnet(Identity caller, CallContext ctx, String networkId, String subnet,
            JsonNode body) {
        auth.requireAdministrator(caller, ArmType.VIRTUAL_NETWORKS.write(), networkId + "/subnets/" + subnet);
        if (body == null || !body.isObject()) {
            throw invalid("Invalid value for the request body: a JSON object is expected.");
        }
        VirtualNetwork network = call(() -> policy.virtualNetwork(networkId, ctx)).orElseThrow(() -> notFound(networkId));
        ObjectNode asSubnet = body.deepCopy();
        asSubnet.put("name", subnet);
        Subnet replacement = read(networkId, wrap(asSubnet, network)).getSubnetsList().stream()
                .filter(s -> s.getName().equals(subnet)).findFirst().orElseThrow();
        VirtualNetwork.Builder changed = network.toBuilder().clearSubnets();
        boolean existed = false;
        for (Subnet s : network.getSubnetsList()) {
            if (s.getName().equalsIgnoreCase(subnet)) {
                changed.addSubnets(replacement);
                existed = true;
            } else {
                changed.addSubnets(s);
            }
        }
        if (!existed) {
            changed.addSubnets(replacement);
        }
        VirtualNetwork stored = call(() -> policy.putVirtualNetwork(changed.build(), ctx));
        ObjectNode written = subnets(write(stored, meta(networkId))).stream()
                .filter(s -> s.path("name").asText().equalsIgnoreCase(subnet)).findFirst().orElseThrow();
        return new VaultService.Result(written, !existed);
    }

    /** A network body holding the network's address space and just the given subnet, for {@link #read}. */
    private static JsonNode wrap(ObjectNode subnet, VirtualNetwork network) {
        ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        ObjectNode props = body.putObject("properties");
        ArrayNode prefixes = props.putObject("addressSpace").putArray("addressPrefixes");
        network.getAddressPrefixesList().forEach(prefixes::add);
        props.putArray("subnets").add(subnet);
        return body;
    }

    private static java.util.List<ObjectNode> subnets(ObjectNode network) {
        java.util.List<ObjectNode> list = new java.util.ArrayList<>();
        network.path("properties").path("subnets").forEach(s -> list.add((ObjectNode) s));
        return list;
    }

    /** @return false when there was no such network */
    public boolean delete(Identity caller, CallContext ctx, String id) {
        auth.requireAdministrator(caller, ArmType.VIRTUAL_NETWORKS.delete(), id);
        boolean deleted = call(() -> policy.deleteVirtualNetwork(id, ctx));
        metadata.delete(id);
        return deleted;
    }

    private static VirtualNetwork read(String id, JsonNode body) {
        JsonNode properties = body.get("properties");
        if (properties == null || !properties.isObject()) {
            throw invalid("The 'properties' object is required (addressSpace, subnets).");
        }
        VirtualNetwork.Builder network = VirtualNetwork.newBuilder().setId(id);
        JsonNode space = properties.path("addressSpace").path("addressPrefixes");
        if (!space.isArray() || space.isEmpty()) {
            throw invalid("The 'properties.addressSpace.addressPrefixes' list is required, for example "
                    + "[\"10.0.0.0/16\"].");
        }
        for (int i = 0; i < space.size(); i++) {
            network.addAddressPrefixes(string(space.get(i), "properties.addressSpace.addressPrefixes[" + i + "]"));
        }
        List<JsonNode> subnets = ArmJson.optionalList(properties, "subnets", "properties.subnets", "subnets");
        for (int i = 0; i < subnets.size(); i++) {
            String at = "properties.subnets[" + i + "]";
            JsonNode s = subnets.get(i);
            if (!s.isObject()) {
                throw invalid("Invalid value for " + at + ": a JSON object is expected.");
            }
            Subnet.Builder subnet = Subnet.newBuilder().setName(string(s.get("name"), at + ".name"));
            JsonNode sp = s.path("properties");
            JsonNode prefix = sp.get("addressPrefix");
            if ((prefix == null || prefix.isNull()) && sp.path("addressPrefixes").isArray()
                    && !sp.path("addressPrefixes").isEmpty()) {
                prefix = sp.path("addressPrefixes").get(0);
            }
            subnet.setAddressPrefix(string(prefix, at + ".properties.addressPrefix"));
            List<JsonNode> endpoints = ArmJson.optionalList(sp, "serviceEndpoints",
                    at + ".properties.serviceEndpoints", "{\"service\": ...}");
            for (int j = 0; j < endpoints.size(); j++) {
                subnet.addServiceEndpoints(string(endpoints.get(j).get("service"),
                        at + ".properties.serviceEndpoints[" + j + "].service"));
            }
            network.addSubnets(subnet);
        }
        return network.build();
    }

    private static ObjectNode write(VirtualNetwork network, Meta meta) {
        String name = network.getId().substring(network.getId().lastIndexOf('/') + 1);
        ObjectNode node = ArmJson.resource(network.getId(), name, ArmType.VIRTUAL_NETWORKS.name(), meta.location(),
                meta.tags());
        ObjectNode props = node.putObject("properties");
        props.put("provisioningState", "Succeeded");
        ArrayNode prefixes = props.putObject("addressSpace").putArray("addressPrefixes");
        network.getAddressPrefixesList().forEach(prefixes::add);
        ArrayNode subnets = props.putArray("subnets");
        for (Subnet s : network.getSubnetsList()) {
            ObjectNode subnet = subnets.addObject();
            subnet.put("id", s.getId().isEmpty() ? network.getId() + "/subnets/" + s.getName() : s.getId());
            subnet.put("name", s.getName());
            subnet.put("type", "Microsoft.Network/virtualNetworks/subnets");
            ObjectNode sp = subnet.putObject("properties");
            sp.put("provisioningState", "Succeeded");
            sp.put("addressPrefix", s.getAddressPrefix());
            ArrayNode endpoints = sp.putArray("serviceEndpoints");
            s.getServiceEndpointsList().forEach(e -> {
                ObjectNode endpoint = endpoints.addObject();
                endpoint.put("service", e);
                endpoint.putArray("locations").add("*");
                endpoint.put("provisioningState", "Succeeded");
            });
        }
        return node;
    }

    private Meta meta(String id) {
        try {
            Optional<String> document = metadata.find(id);
            return document.isPresent() ? json.readValue(document.get(), Meta.class) : new Meta("global", Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("virtual network metadata unreadable: " + e.getMessage(), e);
        }
    }

    private void saveMeta(String id, Meta meta) {
        try {
            metadata.save(id, json.writeValueAsString(meta));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }


    private static Map<String, String> tags(JsonNode body) {
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode t = body.get("tags");
        if (t != null && t.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = t.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                tags.put(f.getKey(), f.getValue().asText());
            }
        }
        return tags;
    }

    private static String string(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            throw invalid("The '" + path + "' property is required.");
        }
        if (!node.isTextual()) {
            throw invalid("Invalid value '" + node + "' for " + path + ": a string is expected.");
        }
        return node.asText();
    }

    private static ArmException notFound(String id) {
        return new ArmException(404, "ResourceNotFound", "The Resource 'Microsoft.Network/virtualNetworks/"
                + id.substring(id.lastIndexOf('/') + 1) + "' was not found. For more details please go to "
                + "https://aka.ms/ARMResourceNotFound");
    }

    private static <T> T call(java.util.function.Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (PolicyAdminClient.Failure e) {
            throw PolicyErrors.toArm(e);
        }
    }
}
