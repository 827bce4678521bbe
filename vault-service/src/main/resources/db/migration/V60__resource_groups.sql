-- ARM resource groups: a name, a location that new vaults and virtual networks take when they name none, and tags.
CREATE TABLE resource_group (
    subscription_id   VARCHAR(64)   NOT NULL,
    name_key          VARCHAR(90)   NOT NULL,
    name              VARCHAR(90)   NOT NULL,
    location          VARCHAR(64)   NOT NULL,
    tags              VARCHAR(8000) NOT NULL,
    created_at        TIMESTAMP     NOT NULL,
    PRIMARY KEY (subscription_id, name_key)
);
