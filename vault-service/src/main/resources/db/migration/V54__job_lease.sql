-- Leases of housekeeping work (dev.moat.vault.store.JobLeases): a row says which runner (holder, a token per claim)
-- works on one due item of one job until expires_at (epoch milliseconds). A runner that dies leaves its row to
-- expire, and another takes the item over. Portable SQL: the same file for H2 and PostgreSQL.
CREATE TABLE job_lease (
    job         VARCHAR(40)   NOT NULL,
    item        VARCHAR(300)  NOT NULL,
    holder      VARCHAR(36)   NOT NULL,
    expires_at  BIGINT        NOT NULL,
    PRIMARY KEY (job, item)
);
