package dev.moat.vault.masterkeys;

import java.util.List;

import javax.sql.DataSource;

import dev.moat.vault.crypto.VaultDataKeys;
import dev.moat.vault.store.Jdbc;
import dev.moat.vault.store.JobLeases;
import dev.moat.vault.store.Lease;
import dev.moat.vault.store.LeasedJob;

/**
 * Moves the data keys still wrapped under another held master key to the primary one, a vault at a time, each vault
 * once across replicas (its lease, docs/adr/0014-job-leases.md). Each vault's re-wrap is one short transaction holding
 * its {@code vault_data_key} row: requests go on meanwhile, and read either the old wrapping or the new one, both of
 * which they can open (every replica holds both keys while this runs).
 */
final class DataKeyRewrap implements LeasedJob {

    static final String NAME = "rewrap-data-keys";

    private final DataSource dataSource;
    private final VaultDataKeys dataKeys;

    DataKeyRewrap(DataSource dataSource, VaultDataKeys dataKeys) {
        this.dataSource = dataSource;
        this.dataKeys = dataKeys;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> due(int limit) {
        return Jdbc.autoCommit(dataSource, "listing the data keys to re-wrap", c -> dataKeys.notUnderPrimary(c, limit));
    }

    @Override
    public boolean process(String vault, Lease lease) {
        return JobLeases.applyOnce(dataSource, lease, c -> dataKeys.rewrap(c, vault));
    }
}
