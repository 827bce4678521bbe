-- Which master keys each vault-service replica holds (dev.moat.vault.masterkeys.MasterKeyHolders), written when it
-- starts and at every run of the data-key re-wrap: the ids of its keys, comma-separated, the primary one (that wraps
-- new data keys) apart, and when it last said so (epoch milliseconds). Only ids, never key material. The re-wrap
-- waits until every live replica has the same primary key; the master-key report reads it to say when an old key
-- can be removed (docs/adr/0018-master-key-rotation.md). Portable SQL: the same file for H2 and PostgreSQL.
CREATE TABLE master_key_holder (
    instance        VARCHAR(200)   NOT NULL PRIMARY KEY,
    primary_key_id  VARCHAR(16)    NOT NULL,
    key_ids         VARCHAR(1000)  NOT NULL,
    seen_at         BIGINT         NOT NULL
);
