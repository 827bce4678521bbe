-- Decision and change events as audit-service keeps them, one row per event id.
-- Portable SQL: runs unchanged on H2 (embedded default) and PostgreSQL (production).
-- Enum columns hold the Azure-style names the API shows ("Denied", "Firewall", "IpRule").

CREATE TABLE decision_event (
    event_id                   VARCHAR(64)              NOT NULL,
    event_time                 TIMESTAMP WITH TIME ZONE NOT NULL,
    vault                      VARCHAR(128)             NOT NULL,
    operation                  VARCHAR(128),
    result                     VARCHAR(16)              NOT NULL,
    layer                      VARCHAR(32)              NOT NULL,
    http_status                INTEGER                  NOT NULL,
    caller_ip                  VARCHAR(64),
    -- the IPv4 caller address as an unsigned number, so that CIDR filters are range scans
    caller_ip_number           BIGINT,
    tenant_id                  VARCHAR(128),
    object_id                  VARCHAR(128),
    application_id             VARCHAR(128),
    is_address_authorized      BOOLEAN                  NOT NULL,
    -- NULL when the firewall was not consulted
    address_authorization_type VARCHAR(32),
    matched_rule               VARCHAR(1024),
    subnet_id                  VARCHAR(1024),
    trusted_service            VARCHAR(256),
    is_access_policy_match     BOOLEAN                  NOT NULL,
    duration_ms                BIGINT                   NOT NULL,
    correlation_id             VARCHAR(256),
    reason                     VARCHAR(4000),
    request_path               VARCHAR(2048),
    http_method                VARCHAR(16),
    source                     VARCHAR(256),
    stored_at                  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_decision_event PRIMARY KEY (event_id)
);

CREATE INDEX ix_decision_event_time ON decision_event (event_time);
CREATE INDEX ix_decision_event_vault_time ON decision_event (vault, event_time);
CREATE INDEX ix_decision_event_result_time ON decision_event (result, event_time);
CREATE INDEX ix_decision_event_caller_ip ON decision_event (caller_ip_number, event_time);

CREATE TABLE change_event (
    event_id             VARCHAR(64)              NOT NULL,
    event_time           TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_tenant_id      VARCHAR(128),
    actor_object_id      VARCHAR(128),
    actor_application_id VARCHAR(128),
    resource_kind        VARCHAR(32)              NOT NULL,
    resource_id          VARCHAR(1024)            NOT NULL,
    vault                VARCHAR(128),
    action               VARCHAR(16)              NOT NULL,
    before_json          VARCHAR(1000000),
    after_json           VARCHAR(1000000),
    operation            VARCHAR(128),
    source               VARCHAR(256),
    correlation_id       VARCHAR(256),
    stored_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_change_event PRIMARY KEY (event_id)
);

CREATE INDEX ix_change_event_time ON change_event (event_time);
CREATE INDEX ix_change_event_vault_time ON change_event (vault, event_time);
CREATE INDEX ix_change_event_resource_time ON change_event (resource_id, event_time);
