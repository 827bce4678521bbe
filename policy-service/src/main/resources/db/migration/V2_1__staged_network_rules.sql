-- A vault's audit-only (staged) rule set: evaluated and recorded beside the enforced one, never enforced.
-- Same shape as vault / vault_ip_rule / vault_vnet_rule; a vault without a row here has no staged set.
-- No foreign key to vault: replacing the enforced rules rewrites the vault row, and must keep the staged set.
CREATE TABLE vault_staged (
    vault           VARCHAR(24)  NOT NULL PRIMARY KEY,
    default_action  VARCHAR(8)   NOT NULL,
    bypass          VARCHAR(16)  NOT NULL,
    updated_at      TIMESTAMP    NOT NULL
);

CREATE TABLE vault_staged_ip_rule (
    vault     VARCHAR(24) NOT NULL REFERENCES vault_staged (vault) ON DELETE CASCADE,
    position  INTEGER     NOT NULL,
    rule      VARCHAR(64) NOT NULL,
    PRIMARY KEY (vault, position)
);

CREATE TABLE vault_staged_vnet_rule (
    vault           VARCHAR(24)   NOT NULL REFERENCES vault_staged (vault) ON DELETE CASCADE,
    position        INTEGER       NOT NULL,
    subnet_id       VARCHAR(600)  NOT NULL,
    ignore_missing  BOOLEAN       NOT NULL,
    PRIMARY KEY (vault, position)
);
