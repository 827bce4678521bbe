package dev.moat.policy.rules;

/** Which rule a value broke. Stable names: the gRPC layer and clients may key on them. */
public enum ViolationCode {
    /** A required value is missing or blank. */
    REQUIRED,
    /** {@code defaultAction} is not {@code Allow} or {@code Deny}. */
    INVALID_DEFAULT_ACTION,
    /** {@code bypass} is not {@code AzureServices} or {@code None}. */
    INVALID_BYPASS,
    /** More IP rules than {@link Limits#maxIpRules()}. */
    TOO_MANY_IP_RULES,
    /** More virtual network rules than {@link Limits#maxVirtualNetworkRules()}. */
    TOO_MANY_VIRTUAL_NETWORK_RULES,
    /** Not an address or CIDR range in dotted-quad notation. */
    MALFORMED_ADDRESS,
    /** An IPv6 address or range: "only IPv4 addresses are supported at this time". */
    IPV6_NOT_SUPPORTED,
    /** A /31 or /32 range in an IP rule: the source document wants individual address rules instead. */
    RANGE_TOO_SMALL,
    /** A CIDR range with bits set after the prefix ({@code 1.2.3.4/24}). */
    HOST_BITS_SET,
    /** An IP rule that overlaps RFC 1918 or another non-routable block: IP rules take public addresses only. */
    NOT_PUBLIC,
    /** The same IP rule twice. */
    DUPLICATE_IP_RULE,
    /** Not a full ARM subnet id. */
    MALFORMED_SUBNET_ID,
    /** The same subnet named by two virtual network rules (ids compare case-insensitively). */
    DUPLICATE_VIRTUAL_NETWORK_RULE,
    /** A virtual network rule names a subnet that does not exist (and does not ignore that). */
    SUBNET_NOT_FOUND,
    /** A virtual network rule names a subnet without the Microsoft.KeyVault endpoint (and does not ignore that). */
    SERVICE_ENDPOINT_MISSING,
    /** Not a full ARM virtual network id. */
    MALFORMED_VIRTUAL_NETWORK_ID,
    /** An address where a CIDR range is required (address space, subnet prefix). */
    NOT_A_RANGE,
    /** Two address space prefixes of one virtual network overlap. */
    ADDRESS_SPACE_OVERLAP,
    /** A subnet name with characters or a length ARM does not allow. */
    MALFORMED_SUBNET_NAME,
    /** Two subnets of one network with the same name (case-insensitive). */
    DUPLICATE_SUBNET,
    /** A subnet id that is not its network's id followed by {@code /subnets/} and its name. */
    SUBNET_NOT_IN_NETWORK,
    /** A subnet prefix outside every address space prefix of its network. */
    SUBNET_OUTSIDE_ADDRESS_SPACE,
    /** Two subnets of one network overlap. */
    SUBNET_OVERLAP,
    /** A service endpoint name that is not of the form {@code Microsoft.X}. */
    MALFORMED_SERVICE_ENDPOINT
}
