-- Portable SQL, for H2 and PostgreSQL alike. Installations made before this file replaced its H2 and PostgreSQL forms
-- recorded another checksum for it: dev.moat.vault.store.FormerMigrationChecksums accepts those (ADR 0020).
-- Vaults of the management plane. The network rules are not here: policy-service owns them.
CREATE TABLE vault (
    name              VARCHAR(24)   NOT NULL PRIMARY KEY,
    subscription_id   VARCHAR(64)   NOT NULL,
    resource_group    VARCHAR(90)   NOT NULL,
    owner_tenant_id   VARCHAR(64)   NOT NULL,
    owner_object_id   VARCHAR(128)  NOT NULL,
    -- ARM location, tags and properties (without networkAcls and the output-only fields), as JSON
    document          TEXT          NOT NULL,
    created_at        TIMESTAMP     NOT NULL,
    updated_at        TIMESTAMP     NOT NULL
);


-- ARM metadata of virtual networks (location and tags); the networks themselves live in policy-service.
CREATE TABLE virtual_network_meta (
    id_key            VARCHAR(400)  NOT NULL PRIMARY KEY,
    document          TEXT          NOT NULL
);
