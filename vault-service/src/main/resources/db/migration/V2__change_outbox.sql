-- Change events of the management plane, written in the same transaction as the vault change and relayed to
-- Kafka (moat.changes.v1) by ChangeOutbox; a row is deleted only after the broker acknowledged it.
CREATE TABLE change_outbox (
    event_id    VARCHAR(36)      NOT NULL PRIMARY KEY,
    seq         BIGINT           NOT NULL,
    vault       VARCHAR(500)     NOT NULL,
    payload     VARCHAR(1000000) NOT NULL
);
CREATE INDEX change_outbox_seq ON change_outbox (seq);
