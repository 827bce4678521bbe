package dev.moat.policy.decision;

import java.util.Objects;

/**
 * The subnet a request was attributed to: the most specific known subnet containing the client address, or the
 * subnet a trusted edge named (see {@link CheckInput}).
 *
 * @param id               full ARM id of the subnet, as stored (or as the edge named it, when it is not stored)
 * @param keyVaultEndpoint whether the subnet has the {@code Microsoft.KeyVault} service endpoint; without it the
 *                         subnet admits nobody, whatever the vault's virtual network rules say
 */
public record SourceSubnet(String id, boolean keyVaultEndpoint) {

    public SourceSubnet {
        Objects.requireNonNull(id, "id");
    }

    /** How messages name it: the id, and the missing endpoint when it is missing. */
    String describe() {
        return keyVaultEndpoint ? id : id + ", which does not have the Microsoft.KeyVault service endpoint enabled";
    }
}
