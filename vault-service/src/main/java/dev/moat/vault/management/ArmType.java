package dev.moat.vault.management;

/**
 * An ARM resource type Moat serves: the {@code type} its bodies carry, and the actions on it that authorization errors
 * name ({@code <type>/read}, {@code /write}, {@code /delete}).
 */
record ArmType(String name) {

    static final ArmType VAULTS = new ArmType("Microsoft.KeyVault/vaults");
    static final ArmType VIRTUAL_NETWORKS = new ArmType("Microsoft.Network/virtualNetworks");

    String read() {
        return name + "/read";
    }

    String write() {
        return name + "/write";
    }

    String delete() {
        return name + "/delete";
    }
}
