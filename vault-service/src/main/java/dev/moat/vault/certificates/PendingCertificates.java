package dev.moat.vault.certificates;

import java.security.cert.X509Certificate;
import java.sql.Savepoint;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.moat.vault.certificates.CertificateRepository.OperationRow;
import dev.moat.vault.keys.Curve;
import dev.moat.vault.keys.KeyMaterial;
import dev.moat.vault.keys.KeyRules;
import dev.moat.vault.objects.ObjectNames;
import dev.moat.vault.objects.VaultObjectException;
import dev.moat.vault.store.JobLeases;
import dev.moat.vault.store.Lease;
import dev.moat.vault.store.LeasedJob;
import dev.moat.vault.store.VaultObjectTables;
import dev.moat.vault.vaults.Vault;
import dev.moat.vault.vaults.VaultStore;

/**
 * Pending certificate creates, each finished once across replicas: the key and the self-signed certificate are made
 * outside any transaction, then stored, and the operation completed (or failed), under the operation's row lock, only
 * if it is still the same create in progress, in the transaction that ends the lease.
 *
 * @param certificates the service that stores the finished certificate
 * @param store the pending operations' rows
 * @param vaults the vaults, for the one a pending create belongs to
 */
record PendingCertificates(CertificateService certificates, CertificateRepository store, VaultStore vaults)
        implements LeasedJob {

    private static final Logger LOG = Logger.getLogger(PendingCertificates.class);

    /** Why a pending create failed: Key Vault's {@code error} of the operation. */
    private record Failure(String code, String message) {
    }

    @Override
    public String name() {
        return "finish-certificate";
    }

    @Override
    public List<String> due(int limit) {
        return store.inProgress(limit);
    }

    @Override
    public boolean process(String item, Lease lease) {
        String[] ref = VaultObjectTables.split(item);
        String vaultName = ref[0];
        String key = ref[1];
        Optional<Vault> vault = vaults.find(vaultName);
        Optional<OperationRow> seen = certificates.lifecycle().inTransaction(c -> store.operation(c, vaultName, key,
                false));
        if (vault.isEmpty() || seen.isEmpty() || !CertificateService.IN_PROGRESS.equals(seen.get().status())) {
            return false;
        }
        CertificateRequest request = certificates.read(seen.get().request());
        CertificatePolicy policy = request.policy();
        KeyMaterial material = null;
        X509Certificate certificate = null;
        Failure failure = null;
        try {
            material = policy.kty().equals("RSA") ? KeyMaterial.generateRsa(KeyRules.rsaSize(policy.keySize()))
                    : KeyMaterial.generateEc(Curve.of(policy.crv()));
            certificate = X509.selfSigned(material, material.privateKey(), policy);
        } catch (VaultObjectException e) {
            failure = new Failure(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "making certificate %s in vault %s failed", key, vaultName);
            failure = new Failure("InternalError", "The certificate could not be made; the service's log says why.");
        }
        KeyMaterial made = material;
        X509Certificate made509 = certificate;
        Failure failed = failure;
        return JobLeases.applyOnce(store.dataSource(), lease, c -> {
            Optional<OperationRow> current = store.operation(c, vaultName, key, true);
            if (current.isEmpty() || !CertificateService.IN_PROGRESS.equals(current.get().status())
                    || !current.get().requestId().equals(seen.get().requestId())) {
                return false;
            }
            Failure outcome = failed;
            if (outcome == null) {
                Savepoint before = c.setSavepoint();
                try {
                    certificates.store(c, vault.get(), current.get().name(), ObjectNames.newVersion(), made,
                            List.of(made509), policy, request.enabled() == null || request.enabled(), request.tags());
                } catch (VaultObjectException e) {
                    c.rollback(before);
                    outcome = new Failure(e.code(), e.getMessage());
                }
            }
            if (outcome == null) {
                store.finishOperation(c, vaultName, key, CertificateService.COMPLETED, null, null, null);
            } else {
                store.finishOperation(c, vaultName, key, CertificateService.FAILED, outcome.message(),
                        outcome.code(), outcome.message());
            }
            return true;
        });
    }
}
