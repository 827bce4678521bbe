package dev.moat.vault.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.moat.vault.pipeline.Refusal;
import dev.moat.vault.pipeline.RefusalAnswers;

/** The data-plane pipeline's refusals in Key Vault's words, through the one error mapper {@link KeyVaultErrors}. */
@ApplicationScoped
public class KeyVaultRefusals implements RefusalAnswers {

    @Override
    public Response answer(Refusal refusal) {
        if (refusal instanceof Refusal.VaultNotFound r) {
            return KeyVaultErrors.vaultNotFound(r.host());
        }
        if (refusal instanceof Refusal.DecisionSpoolFull) {
            return KeyVaultErrors.decisionSpoolFull();
        }
        if (refusal instanceof Refusal.BadOrigin r) {
            return KeyVaultErrors.badParameter(r.message());
        }
        if (refusal instanceof Refusal.Unauthenticated r) {
            return KeyVaultErrors.unauthorized(r.message(), r.challenge());
        }
        if (refusal instanceof Refusal.FirewallUnavailable) {
            return KeyVaultErrors.firewallUnavailable();
        }
        if (refusal instanceof Refusal.ForbiddenByFirewall r) {
            return KeyVaultErrors.forbiddenByFirewall(r.clientAddress(), r.subnet(), r.subnetLacksEndpoint(), r.caller(),
                    r.vault());
        }
        if (refusal instanceof Refusal.PublicNetworkAccessDisabled r) {
            return KeyVaultErrors.publicNetworkAccessDisabled(r.clientAddress(), r.caller(), r.vault());
        }
        if (refusal instanceof Refusal.RequestTooLarge r) {
            return KeyVaultErrors.requestTooLarge(r.part().status(), r.size(), r.limit());
        }
        if (refusal instanceof Refusal.ForbiddenByPolicy r) {
            return KeyVaultErrors.forbiddenByPolicy(r.caller(), r.category(), r.permission(), r.vault(), r.location());
        }
        return KeyVaultErrors.internalError(((Refusal.InternalError) refusal).correlationId());
    }
}
