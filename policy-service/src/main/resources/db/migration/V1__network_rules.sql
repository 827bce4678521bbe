-- Vaults known to the firewall. A vault with has_rules = false has no network rules (DefaultAllow).
-- A vault that is absent here is unknown and always denied.
CREATE TABLE vault (
    name            VARCHAR(24)  NOT NULL PRIMARY KEY,
    has_rules       BOOLEAN      NOT NULL,
    default_action  VARCHAR(8),
    bypass          VARCHAR(16),
    updated_at      TIMESTAMP    NOT NULL
);

-- IP rules in the order the owner gave them (the first matching rule is the one reported).
CREATE TABLE vault_ip_rule (
    vault     VARCHAR(24) NOT NULL REFERENCES vault (name) ON DELETE CASCADE,
    position  INTEGER     NOT NULL,
    rule      VARCHAR(64) NOT NULL,
    PRIMARY KEY (vault, position)
);

CREATE TABLE vault_vnet_rule (
    vault           VARCHAR(24)   NOT NULL REFERENCES vault (name) ON DELETE CASCADE,
    position        INTEGER       NOT NULL,
    subnet_id       VARCHAR(600)  NOT NULL,
    ignore_missing  BOOLEAN       NOT NULL,
    PRIMARY KEY (vault, position)
);

-- Virtual networks (ids normalised to lower case) with their address space, one prefix per row.
CREATE TABLE virtual_network (
    id          VARCHAR(500) NOT NULL PRIMARY KEY,
    updated_at  TIMESTAMP    NOT NULL
);

CREATE TABLE virtual_network_prefix (
    network_id  VARCHAR(500) NOT NULL REFERENCES virtual_network (id) ON DELETE CASCADE,
    position    INTEGER      NOT NULL,
    prefix      VARCHAR(64)  NOT NULL,
    PRIMARY KEY (network_id, position)
);

CREATE TABLE subnet (
    network_id      VARCHAR(500) NOT NULL REFERENCES virtual_network (id) ON DELETE CASCADE,
    name            VARCHAR(80)  NOT NULL,
    address_prefix  VARCHAR(64)  NOT NULL,
    PRIMARY KEY (network_id, name)
);

CREATE TABLE subnet_service_endpoint (
    network_id   VARCHAR(500) NOT NULL,
    subnet_name  VARCHAR(80)  NOT NULL,
    service      VARCHAR(100) NOT NULL,
    PRIMARY KEY (network_id, subnet_name, service),
    FOREIGN KEY (network_id, subnet_name) REFERENCES subnet (network_id, name) ON DELETE CASCADE
);

-- One row, bumped in the same transaction as every change. Each instance polls it and rebuilds its
-- in-memory index when it moves, which is how a change reaches every replica within a second.
CREATE TABLE policy_revision (
    id        INTEGER NOT NULL PRIMARY KEY,
    revision  BIGINT  NOT NULL
);
INSERT INTO policy_revision (id, revision) VALUES (1, 0);

-- Transactional outbox: a ChangeEvent is written here in the same transaction as the change it describes,
-- and relayed to Kafka afterwards, so no committed change goes unannounced even when Kafka is down.
CREATE TABLE change_outbox (
    event_id    VARCHAR(36)     NOT NULL PRIMARY KEY,
    seq         BIGINT          NOT NULL,
    vault       VARCHAR(500)    NOT NULL,
    payload     VARCHAR(1000000) NOT NULL
);
CREATE INDEX change_outbox_seq ON change_outbox (seq);
