package dev.moat.policy.decision;

import dev.moat.netaddr.Ipv4;
import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import java.util.Objects;

/**
 * One request to decide.
 *
 * @param vault                 vault name (compared case-insensitively, as DNS does)
 * @param clientAddress         the client's address, IPv4 or not (network rules are IPv4-only, clients are not: a
 *                              client that is not IPv4 is decided, never refused as input); an IPv4-mapped IPv6
 *                              address ({@code ::ffff:1.2.3.4}, as dual-stack sockets report IPv4 peers) is taken as
 *                              the IPv4 address it carries
 * @param sourceSubnetId        full id of the subnet the request came through when a trusted edge says so (compared
 *                              ignoring ASCII case, as ARM compares ids); null or blank to resolve it from the client
 *                              address. It counts only when the client address lies in that subnet, unless
 *                              {@code sourceSubnetBehindNat}
 * @param sourceSubnetBehindNat the edge translates addresses, so the client address need not lie in the subnet it
 *                              names: believe the named subnet as it is
 * @param callerApplicationId   the token's {@code appid}/{@code azp}; null or blank when unknown
 */
public record CheckInput(String vault, IPAddress clientAddress, String sourceSubnetId, boolean sourceSubnetBehindNat,
        String callerApplicationId) {

    public CheckInput {
        if (vault == null || vault.isBlank()) {
            throw new IllegalArgumentException("a check needs a vault name");
        }
        Objects.requireNonNull(clientAddress, "clientAddress");
        if (clientAddress.isIPv6() && clientAddress.isIPv4Convertible()) {
            clientAddress = clientAddress.toIPv4();
        }
        if (clientAddress.isPrefixed()) {
            throw new IllegalArgumentException("client address " + clientAddress + " is a range, not one address");
        }
        sourceSubnetId = blankToNull(sourceSubnetId);
        callerApplicationId = blankToNull(callerApplicationId);
    }

    /** A check whose named subnet (if any) must contain the client address. */
    public CheckInput(String vault, IPAddress clientAddress, String sourceSubnetId, String callerApplicationId) {
        this(vault, clientAddress, sourceSubnetId, false, callerApplicationId);
    }

    /**
     * A check from text as it arrives over the wire.
     *
     * @throws IllegalArgumentException when the vault is blank or the address is not one IP address
     */
    public static CheckInput of(String vault, String clientAddress, String sourceSubnetId, boolean sourceSubnetBehindNat,
            String callerApplicationId) {
        IPAddress address = Ipv4.parseClient(clientAddress).orElseThrow(() -> new IllegalArgumentException(
                "client address '" + clientAddress + "' is not one IP address"));
        return new CheckInput(vault, address, sourceSubnetId, sourceSubnetBehindNat, callerApplicationId);
    }

    /** {@link #of(String, String, String, boolean, String)} for an edge that does not translate addresses. */
    public static CheckInput of(String vault, String clientAddress, String sourceSubnetId, String callerApplicationId) {
        return of(vault, clientAddress, sourceSubnetId, false, callerApplicationId);
    }

    /** Whether the client is IPv4: only then can a subnet or an IP rule admit it. */
    public boolean ipv4() {
        return clientAddress.isIPv4();
    }

    /** The client address as an unsigned 32-bit number; only for an {@link #ipv4()} client. */
    public long clientIpv4() {
        return ((IPv4Address) clientAddress).longValue();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
