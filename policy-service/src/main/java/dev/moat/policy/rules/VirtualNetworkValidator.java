package dev.moat.policy.rules;

import dev.moat.policy.network.ServiceEndpoints;
import dev.moat.policy.network.Subnet;
import dev.moat.policy.network.SubnetId;
import dev.moat.policy.network.VirtualNetwork;
import dev.moat.policy.network.VirtualNetworkId;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates a virtual network with its subnets (ARM PUT): a well-formed id; an address space of IPv4 CIDR
 * ranges that do not overlap (private ranges are what virtual networks use, so they are allowed here); subnets
 * with legal, unique names, each inside one address space prefix, not overlapping each other, filed under
 * this network's id; service endpoints of the form {@code Microsoft.X}. All violations at once.
 *
 * <p>Replacing or deleting a network that virtual network rules name is not refused: see
 * {@link dev.moat.policy.network.VirtualNetworks}.
 */
public final class VirtualNetworkValidator {

    private VirtualNetworkValidator() {
    }

    public static Validated<VirtualNetwork> validate(VirtualNetworkInput input) {
        List<Violation> violations = new ArrayList<>();

        VirtualNetworkId id = VirtualNetworkId.parse(input.id()).orElse(null);
        if (input.id() == null || input.id().isBlank()) {
            violations.add(new Violation("id", input.id(), ViolationCode.REQUIRED,
                    "id is required: the full id of the virtual network, " + VirtualNetworkId.FORMAT));
        } else if (id == null) {
            violations.add(new Violation("id", input.id(), ViolationCode.MALFORMED_VIRTUAL_NETWORK_ID,
                    "'" + input.id() + "' is not a virtual network id: expected " + VirtualNetworkId.FORMAT));
        }

        List<IPAddress> addressSpace = addressSpace(input.addressPrefixes(), violations);
        boolean addressSpaceValid = addressSpace.size() == input.addressPrefixes().size();

        List<Subnet> subnets = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < input.subnets().size(); i++) {
            String path = "subnets[" + i + "]";
            SubnetInput raw = input.subnets().get(i);
            if (raw == null) {
                violations.add(new Violation(path, null, ViolationCode.REQUIRED, path + " is required"));
                continue;
            }
            SubnetId subnetId = subnetId(path, raw, id, names, i, violations);
            IPAddress prefix = cidr(path + ".addressPrefix", raw.addressPrefix(), violations);
            Set<String> endpoints = serviceEndpoints(path, raw.serviceEndpoints(), violations);
            if (prefix != null && addressSpaceValid && !addressSpace.isEmpty()
                    && addressSpace.stream().noneMatch(space -> space.contains(prefix))) {
                violations.add(new Violation(path + ".addressPrefix", raw.addressPrefix(),
                        ViolationCode.SUBNET_OUTSIDE_ADDRESS_SPACE, "subnet prefix '" + raw.addressPrefix()
                        + "' is not inside the network's address space (" + canonical(addressSpace) + ")"));
                continue;
            }
            if (prefix != null) {
                Optional<Subnet> overlapped = subnets.stream().filter(s -> s.addressPrefix().overlaps(prefix)).findFirst();
                if (overlapped.isPresent()) {
                    violations.add(new Violation(path + ".addressPrefix", raw.addressPrefix(), ViolationCode.SUBNET_OVERLAP,
                            "subnet prefix '" + raw.addressPrefix() + "' overlaps subnet '" + overlapped.get().name() + "' ("
                            + overlapped.get().addressPrefix().toCanonicalString() + "): subnets of a network must not overlap"));
                    continue;
                }
            }
            if (subnetId != null && prefix != null && endpoints != null) {
                subnets.add(new Subnet(subnetId, prefix, endpoints));
            }
        }

        if (!violations.isEmpty()) {
            return Validated.invalid(violations);
        }
        return Validated.valid(new VirtualNetwork(id, addressSpace, subnets));
    }

    /** Validates and normalises one service endpoint name ({@code microsoft.keyvault} becomes {@code Microsoft.KeyVault}). */
    public static Validated<String> serviceEndpoint(String field, String name) {
        return ServiceEndpoints.normalise(name).<Validated<String>>map(Validated::valid)
                .orElseGet(() -> Validated.invalid(List.of(new Violation(field, name, ViolationCode.MALFORMED_SERVICE_ENDPOINT,
                        "'" + name + "' is not a service endpoint name: expected Microsoft.<Service>, for example "
                        + ServiceEndpoints.KEY_VAULT))));
    }

    private static List<IPAddress> addressSpace(List<String> raw, List<Violation> violations) {
        if (raw.isEmpty()) {
            violations.add(new Violation("addressPrefixes", null, ViolationCode.REQUIRED,
                    "addressPrefixes is required: at least one IPv4 CIDR range, for example 10.0.0.0/16"));
        }
        List<IPAddress> prefixes = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "addressPrefixes[" + i + "]";
            IPAddress prefix = cidr(field, raw.get(i), violations);
            if (prefix == null) {
                continue;
            }
            Optional<IPAddress> overlapped = prefixes.stream().filter(p -> p.overlaps(prefix)).findFirst();
            if (overlapped.isPresent()) {
                violations.add(new Violation(field, raw.get(i), ViolationCode.ADDRESS_SPACE_OVERLAP, "address prefix '"
                        + raw.get(i) + "' overlaps " + overlapped.get().toCanonicalString() + " of the same network"));
                continue;
            }
            prefixes.add(prefix);
        }
        return prefixes;
    }

    private static SubnetId subnetId(String path, SubnetInput raw, VirtualNetworkId network, Map<String, Integer> names,
            int index, List<Violation> violations) {
        String field = path + ".name";
        if (raw.name() == null || raw.name().isBlank()) {
            violations.add(new Violation(field, raw.name(), ViolationCode.REQUIRED, field + " is required"));
            return null;
        }
        Integer first = names.putIfAbsent(raw.name().toLowerCase(Locale.ROOT), index);
        if (first != null) {
            violations.add(new Violation(field, raw.name(), ViolationCode.DUPLICATE_SUBNET, "subnet name '" + raw.name()
                    + "' is already used by subnets[" + first + "] (names are case-insensitive)"));
            return null;
        }
        if (network == null) {
            return null; // the network id is already reported; nothing to file the subnet under
        }
        Optional<SubnetId> id = network.subnet(raw.name());
        if (id.isEmpty()) {
            violations.add(new Violation(field, raw.name(), ViolationCode.MALFORMED_SUBNET_NAME, "'" + raw.name()
                    + "' is not a valid subnet name: 1 to 80 letters, digits, '_', '.' or '-', starting with a letter or"
                    + " digit and ending with a letter, digit or '_'"));
            return null;
        }
        if (raw.id() != null && !raw.id().isBlank()
                && !SubnetId.parse(raw.id()).map(given -> given.equals(id.get())).orElse(false)) {
            violations.add(new Violation(path + ".id", raw.id(), ViolationCode.SUBNET_NOT_IN_NETWORK, "subnet id '" + raw.id()
                    + "' is not the id of subnet '" + raw.name() + "' of network " + network + " (expected " + id.get() + ")"));
            return null;
        }
        return id.get();
    }

    private static IPAddress cidr(String field, String text, List<Violation> violations) {
        IPAddress address = AddressChecks.ipv4(field, text, violations);
        if (address == null) {
            return null;
        }
        if (!address.isPrefixed()) {
            violations.add(new Violation(field, text, ViolationCode.NOT_A_RANGE,
                    "'" + text + "' is a single address: a CIDR range is required here, for example 10.0.1.0/24"));
            return null;
        }
        return AddressChecks.hostBitsClear(field, text, address, violations) ? address : null;
    }

    private static Set<String> serviceEndpoints(String path, List<String> raw, List<Violation> violations) {
        Set<String> endpoints = new LinkedHashSet<>();
        boolean valid = true;
        for (int k = 0; k < raw.size(); k++) {
            Validated<String> endpoint = serviceEndpoint(path + ".serviceEndpoints[" + k + "]", raw.get(k));
            violations.addAll(endpoint.violations());
            if (endpoint instanceof Validated.Valid<String> ok) {
                endpoints.add(ok.value()); // the same endpoint twice is one endpoint: enabling is idempotent
            } else {
                valid = false;
            }
        }
        return valid ? endpoints : null;
    }

    private static String canonical(List<IPAddress> prefixes) {
        return prefixes.stream().map(IPAddress::toCanonicalString).collect(Collectors.joining(", "));
    }
}
