package dev.moat.policy.decision;

import dev.moat.policy.network.Ipv4;
import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import java.util.Objects;

/**
 * One request to decide.
 *
 * @param vault               vault name (compared case-insensitively, as DNS does)
 * @param clientAddress       the client's IPv4 address; an IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4}, as
 *                            dual-stack sockets report IPv4 peers) is taken as the IPv4 address it carries
 * @param sourceSubnetId      full id of the subnet the request came through when a trusted edge says so (compared
 *                            ignoring ASCII case, as ARM compares ids); null or blank to resolve it from the client
 *                            address
 * @param callerApplicationId the token's {@code appid}/{@code azp}; null or blank when unknown
 */
public record CheckInput(String vault, IPAddress clientAddress, String sourceSubnetId, String callerApplicationId) {

    public CheckInput {
        if (vault == null || vault.isBlank()) {
            throw new IllegalArgumentException("a check needs a vault name");
        }
        Objects.requireNonNull(clientAddress, "clientAddress");
        if (clientAddress.isIPv6() && clientAddress.isIPv4Convertible()) {
            clientAddress = clientAddress.toIPv4();
        }
        if (!clientAddress.isIPv4() || clientAddress.isPrefixed()) {
            throw new IllegalArgumentException("client address " + clientAddress + " is not a single IPv4 address");
        }
        sourceSubnetId = blankToNull(sourceSubnetId);
        callerApplicationId = blankToNull(callerApplicationId);
    }

    /**
     * A check from text as it arrives over the wire.
     *
     * @throws IllegalArgumentException when the vault is blank or the address is not a single IPv4 address
     */
    public static CheckInput of(String vault, String clientAddress, String sourceSubnetId, String callerApplicationId) {
        IPAddress address = Ipv4.parse(clientAddress).orElseThrow(() -> new IllegalArgumentException(
                "client address '" + clientAddress + "' is not a single IPv4 address"));
        return new CheckInput(vault, address, sourceSubnetId, callerApplicationId);
    }

    /** The client address as an unsigned 32-bit number. */
    public long clientIpv4() {
        return ((IPv4Address) clientAddress).longValue();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
