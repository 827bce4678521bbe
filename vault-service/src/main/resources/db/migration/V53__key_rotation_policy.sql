-- Key rotation policies (dev.moat.vault.keys.RotationPolicy): one per key, removed with it. expiry_time: an ISO-8601
-- period (P2Y) given to each new version as its exp, or null; lifetime_actions: the policy's actions as JSON.
CREATE TABLE key_rotation_policy (
    vault             VARCHAR(24)    NOT NULL,
    name_key          VARCHAR(127)   NOT NULL,
    expiry_time       VARCHAR(40),
    lifetime_actions  VARCHAR(10000) NOT NULL,
    created           BIGINT         NOT NULL,
    updated           BIGINT         NOT NULL,
    PRIMARY KEY (vault, name_key),
    CONSTRAINT key_rotation_policy_key FOREIGN KEY (vault, name_key) REFERENCES vault_key (vault, name_key)
        ON DELETE CASCADE
);
