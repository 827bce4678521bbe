package dev.moat.policy.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A subnet as received, before validation.
 *
 * @param name             the subnet's name; its id is the network id + {@code /subnets/} + name
 * @param addressPrefix    an IPv4 CIDR range inside the network's address space
 * @param serviceEndpoints enabled service endpoint names, for example {@code Microsoft.KeyVault}; null means none
 * @param id               optional full id, as a client echoes it back from a read; when given it must be the
 *                         derived one (case-insensitive), so that a subnet cannot be filed under another network
 */
public record SubnetInput(String name, String addressPrefix, List<String> serviceEndpoints, String id) {

    public SubnetInput {
        serviceEndpoints = serviceEndpoints == null ? List.of()
                : Collections.unmodifiableList(new ArrayList<>(serviceEndpoints));
    }

    /** A subnet without an explicit id (the usual ARM input). */
    public SubnetInput(String name, String addressPrefix, List<String> serviceEndpoints) {
        this(name, addressPrefix, serviceEndpoints, null);
    }
}
