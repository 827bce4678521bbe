-- The PostgreSQL form of db/h2/V1__vaults.sql: the same tables, with TEXT for CLOB and BYTEA (bounded by a check) for
-- VARBINARY(n). Migrations after it are written once for both databases (db/migration).
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
