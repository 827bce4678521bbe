-- A vault row's etag: a new random value at every insert and update of the row (dev.moat.vault.vaults.VaultStore),
-- so that a replica can keep the parsed vault in memory and, on each data-plane request, read only this column to
-- know whether its copy is still the committed one. Rows written before this column get a value of their own, unique
-- because vault names are. Portable SQL: the same file for H2 and PostgreSQL.
ALTER TABLE vault ADD COLUMN etag VARCHAR(64);
UPDATE vault SET etag = CONCAT('migrated:', name);
ALTER TABLE vault ALTER COLUMN etag SET NOT NULL;
