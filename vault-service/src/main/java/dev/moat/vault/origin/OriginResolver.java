package dev.moat.vault.origin;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.moat.netaddr.Ipv4;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * The one place that decides where a request comes from. The TCP peer is the client unless the peer is a
 * configured trusted proxy; then the right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy is
 * the client. Entries left of it are client-controlled and never believed. The source subnet comes only from the
 * configured subnet header of a trusted proxy; from any other peer that header is ignored.
 */
public final class OriginResolver {

    /** Full ARM id of a subnet, the only form a trusted proxy may name. */
    private static final Pattern SUBNET_ID = Pattern.compile(
            "/subscriptions/[^/\\s]+/resourceGroups/[^/\\s]+/providers/Microsoft\\.Network/virtualNetworks/[^/\\s]+"
                    + "/subnets/[^/\\s]+", Pattern.CASE_INSENSITIVE);

    /**
     * Where a request comes from.
     *
     * @param clientAddress the client's address
     * @param sourceSubnet full ARM id of the subnet a trusted proxy says the request came through; empty when none
     */
    public record Origin(String clientAddress, String sourceSubnet) {
    }

    private final List<IPAddress> trustedProxies;

    public OriginResolver(List<String> trustedProxies) {
        List<IPAddress> parsed = new ArrayList<>();
        for (String value : trustedProxies) {
            IPAddress address = new IPAddressString(value.trim()).getAddress();
            if (address == null) {
                throw new IllegalArgumentException("moat.vault.firewall.trusted-proxies: '" + value
                        + "' is not an IP address or CIDR range");
            }
            parsed.add(address.toPrefixBlock());
        }
        this.trustedProxies = List.copyOf(parsed);
    }

    /**
     * @param peer the TCP peer address
     * @param forwardedFor the values of every {@code X-Forwarded-For} header, in order
     * @param subnetHeader the value of the configured source-subnet header, or null
     * @throws InvalidOriginException when a trusted proxy forwarded an entry that is not an IP address or a subnet
     *         that is not a subnet id
     */
    public Origin resolve(String peer, List<String> forwardedFor, String subnetHeader) {
        String client = clientAddress(peer, forwardedFor);
        if (subnetHeader == null || subnetHeader.isBlank() || !isTrusted(parse(peer, "peer address"))) {
            return new Origin(client, "");
        }
        String subnet = subnetHeader.trim();
        if (!SUBNET_ID.matcher(subnet).matches()) {
            throw new InvalidOriginException("source subnet '" + subnet + "' is not a subnet id (/subscriptions/{s}"
                    + "/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet})");
        }
        return new Origin(client, subnet);
    }

    /**
     * @param peer the TCP peer address
     * @param forwardedFor the values of every {@code X-Forwarded-For} header, in order
     * @return the client address, IPv4-mapped IPv6 addresses unwrapped
     * @throws InvalidOriginException when a trusted proxy forwarded an entry that is not an IP address
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        IPAddress current = parse(peer, "peer address");
        if (!isTrusted(current) || forwardedFor == null || forwardedFor.isEmpty()) {
            return render(current);
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            current = parse(hops.get(i), "X-Forwarded-For entry");
            if (!isTrusted(current)) {
                return render(current);
            }
        }
        return render(current);
    }

    private boolean isTrusted(IPAddress address) {
        for (IPAddress proxy : trustedProxies) {
            if (proxy.getIPVersion() == address.getIPVersion() && proxy.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static IPAddress parse(String value, String what) {
        // The notation policy-service and audit-service read too (no leading zeros or shorthand); IPv6 is an address.
        return Ipv4.parseClient(value)
                .orElseThrow(() -> new InvalidOriginException(what + " '" + value + "' is not an IP address"));
    }

    private static String render(IPAddress address) {
        return address.toCanonicalString();
    }

    /** A forwarded address that cannot be parsed: the request is refused, never guessed at. */
    public static final class InvalidOriginException extends RuntimeException {
        public InvalidOriginException(String message) {
            super(message);
        }
    }
}
