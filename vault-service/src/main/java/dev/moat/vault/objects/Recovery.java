package dev.moat.vault.objects;

import dev.moat.vault.vaults.VaultProperties;

/**
 * What deleting means in a vault, as Key Vault reports it in every object's attributes: {@code recoveryLevel} and
 * {@code recoverableDays}, from the vault's soft-delete retention (7 to 90 days) and purge protection.
 */
public record Recovery(boolean softDelete, int days, boolean purgeProtection) {

    public static Recovery of(VaultProperties vault) {
        return new Recovery(vault.enableSoftDelete(), vault.enableSoftDelete() ? vault.softDeleteRetentionInDays() : 0,
                Boolean.TRUE.equals(vault.enablePurgeProtection()));
    }

    /** Azure's {@code DeletionRecoveryLevel}: "Customized" below 90 days, "+Purgeable" without purge protection. */
    public String level() {
        if (!softDelete) {
            return "Purgeable";
        }
        String level = days < 90 ? "CustomizedRecoverable" : "Recoverable";
        return purgeProtection ? level : level + "+Purgeable";
    }
}
