package dev.moat.audit.decision;

import java.time.Instant;

import dev.moat.netaddr.Ipv4;

/**
 * Which decisions a query wants; every criterion is optional ({@code null}) and they all must hold.
 *
 * @param from        inclusive lower bound of the event time
 * @param to          exclusive upper bound of the event time
 * @param clientRange the caller's IPv4 address must fall in this range (an address or a CIDR block)
 * @param clientAddress the caller's address must be this one, for a client that is not IPv4 (canonical text)
 * @param subnetId    full ARM id of the subnet, compared without regard to case as ARM does
 * @param stagedDiffers when true, only decisions on which the vault's staged (audit-only) rule set answered
 *                    otherwise than the enforced one (admitted what was refused, or refused what was admitted)
 */
public record DecisionFilter(
        String vault,
        Instant from,
        Instant to,
        Outcome outcome,
        Layer layer,
        AuthorizationType authorizationType,
        Ipv4.Range clientRange,
        String clientAddress,
        String subnetId,
        String objectId,
        String applicationId,
        String operation,
        Boolean stagedDiffers) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String vault;
        private Instant from;
        private Instant to;
        private Outcome outcome;
        private Layer layer;
        private AuthorizationType authorizationType;
        private Ipv4.Range clientRange;
        private String clientAddress;
        private String subnetId;
        private String objectId;
        private String applicationId;
        private String operation;
        private Boolean stagedDiffers;

        private Builder() {
        }

        public Builder vault(String vault) {
            this.vault = vault;
            return this;
        }

        public Builder from(Instant from) {
            this.from = from;
            return this;
        }

        public Builder to(Instant to) {
            this.to = to;
            return this;
        }

        public Builder outcome(Outcome outcome) {
            this.outcome = outcome;
            return this;
        }

        public Builder layer(Layer layer) {
            this.layer = layer;
            return this;
        }

        public Builder authorizationType(AuthorizationType authorizationType) {
            this.authorizationType = authorizationType;
            return this;
        }

        public Builder clientRange(Ipv4.Range clientRange) {
            this.clientRange = clientRange;
            return this;
        }

        public Builder clientAddress(String clientAddress) {
            this.clientAddress = clientAddress;
            return this;
        }

        public Builder subnetId(String subnetId) {
            this.subnetId = subnetId;
            return this;
        }

        public Builder objectId(String objectId) {
            this.objectId = objectId;
            return this;
        }

        public Builder applicationId(String applicationId) {
            this.applicationId = applicationId;
            return this;
        }

        public Builder operation(String operation) {
            this.operation = operation;
            return this;
        }

        public Builder stagedDiffers(Boolean stagedDiffers) {
            this.stagedDiffers = stagedDiffers;
            return this;
        }

        public DecisionFilter build() {
            return new DecisionFilter(vault, from, to, outcome, layer, authorizationType, clientRange, clientAddress,
                    subnetId, objectId, applicationId, operation, stagedDiffers);
        }
    }
}
