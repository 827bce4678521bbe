-- What a vault's audit-only (staged) rule set would have answered, beside the enforced answer.
-- All NULL when the vault had no staged rule set (or the firewall was not asked).
ALTER TABLE decision_event ADD COLUMN staged_is_address_authorized BOOLEAN;
ALTER TABLE decision_event ADD COLUMN staged_address_authorization_type VARCHAR(32);
ALTER TABLE decision_event ADD COLUMN staged_matched_rule VARCHAR(1024);
ALTER TABLE decision_event ADD COLUMN staged_trusted_service VARCHAR(256);
