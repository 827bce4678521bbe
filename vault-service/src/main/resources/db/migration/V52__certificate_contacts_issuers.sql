-- Certificate contacts and issuers of a vault (dev.moat.vault.certificates.CertificateSettings). No issuer password is
-- stored: Moat never calls an issuer, so it keeps only what Key Vault returns (provider, account id, organisation).

CREATE TABLE certificate_contacts (
    vault     VARCHAR(24)     NOT NULL PRIMARY KEY,
    contacts  VARCHAR(100000) NOT NULL,
    CONSTRAINT certificate_contacts_vault FOREIGN KEY (vault) REFERENCES vault (name) ON DELETE CASCADE
);

CREATE TABLE certificate_issuer (
    vault        VARCHAR(24)     NOT NULL,
    name_key     VARCHAR(127)    NOT NULL,
    name         VARCHAR(127)    NOT NULL,
    provider     VARCHAR(100)    NOT NULL,
    account_id   VARCHAR(1000),
    org_details  VARCHAR(100000),
    enabled      BOOLEAN         NOT NULL,
    created      BIGINT          NOT NULL,
    updated      BIGINT          NOT NULL,
    PRIMARY KEY (vault, name_key),
    CONSTRAINT certificate_issuer_vault FOREIGN KEY (vault) REFERENCES vault (name) ON DELETE CASCADE
);
