package dev.moat.policy.network;

import java.util.regex.Pattern;

/** Character rules of the ARM name segments Moat stores, as Azure documents them for Microsoft.Network. */
final class ResourceNames {

    // Azure requires a GUID; a self-hosted deployment may use readable names, so any ARM-safe token is kept.
    private static final Pattern SUBSCRIPTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w.()]{0,89}[-\\w()]");
    private static final Pattern VIRTUAL_NETWORK = Pattern.compile("[A-Za-z0-9](?:[\\w.-]{0,62}\\w)?");
    private static final Pattern SUBNET = Pattern.compile("[A-Za-z0-9](?:[\\w.-]{0,78}\\w)?");

    private ResourceNames() {
    }

    static boolean isSubscription(String s) {
        return SUBSCRIPTION.matcher(s).matches();
    }

    static boolean isResourceGroup(String s) {
        return RESOURCE_GROUP.matcher(s).matches();
    }

    static boolean isVirtualNetwork(String s) {
        return VIRTUAL_NETWORK.matcher(s).matches();
    }

    /** Subnet names: 1-80 letters, digits, '_', '.', '-'; starting with a letter or digit, not ending in '.' or '-'. */
    static boolean isSubnet(String s) {
        return s != null && SUBNET.matcher(s).matches();
    }
}
