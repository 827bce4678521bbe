package dev.moat.audit.ingest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;

import dev.moat.audit.change.Change;
import dev.moat.audit.change.ChangeAction;
import dev.moat.audit.change.ResourceKind;
import dev.moat.audit.decision.AuthorizationType;
import dev.moat.audit.decision.Decision;
import dev.moat.audit.decision.Layer;
import dev.moat.audit.decision.Outcome;
import dev.moat.audit.decision.StagedDecision;
import dev.moat.netaddr.Ipv4;
import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Identity;
import dev.moat.proto.events.v1.StagedFirewallDecision;

/**
 * Turns event messages into what the store keeps, refusing what it could not keep faithfully: a missing id or
 * time, an enum value this version does not know (a newer producer), a text longer than its column or holding a
 * NUL character. Empty texts become {@code null}; vault names lower case; times are kept to the microsecond, as PostgreSQL keeps them.
 */
public final class EventMapper {

    /** Column sizes of V1__decision_and_change_events.sql. */
    static final int ID = 64;
    static final int NAME = 128;
    static final int SHORT = 16;
    static final int LONG = 256;
    static final int ARM_ID = 1024;
    static final int REASON = 4000;
    static final int PATH = 2048;
    static final int JSON = 1_000_000;

    private EventMapper() {
    }

    public static Decision toDecision(DecisionEvent event) throws InvalidEventException {
        Identity identity = event.getIdentity();
        return new Decision(
                required(event.getEventId(), "event_id", ID),
                time(event.hasTime(), event.getTime()),
                vault(required(event.getVault(), "vault", NAME)),
                optional(event.getOperation(), "operation", NAME),
                outcome(event),
                layer(event),
                httpStatus(event.getHttpStatus()),
                optional(event.getCallerIp(), "caller_ip", ID),
                Ipv4.number(event.getCallerIp()).orElse(null),
                optional(identity.getTenantId(), "identity.tenant_id", NAME),
                optional(identity.getObjectId(), "identity.object_id", NAME),
                optional(identity.getApplicationId(), "identity.application_id", NAME),
                event.getIsAddressAuthorized(),
                authorizationType(event),
                optional(event.getMatchedRule(), "matched_rule", ARM_ID),
                optional(event.getSubnetId(), "subnet_id", ARM_ID),
                optional(event.getTrustedService(), "trusted_service", LONG),
                event.getIsAccessPolicyMatch(),
                durationMs(event.hasDuration(), event.getDuration()),
                optional(event.getCorrelationId(), "correlation_id", LONG),
                optional(event.getReason(), "reason", REASON),
                optional(event.getRequestPath(), "request_path", PATH),
                optional(event.getHttpMethod(), "http_method", SHORT),
                optional(event.getSource(), "source", LONG),
                staged(event));
    }

    private static StagedDecision staged(DecisionEvent event) throws InvalidEventException {
        if (!event.hasStaged()) {
            return null;
        }
        StagedFirewallDecision staged = event.getStaged();
        AuthorizationType type = authorizationType(staged.getAddressAuthorizationType(),
                staged.getAddressAuthorizationTypeValue(), "staged.address_authorization_type");
        if (type == null) {
            throw new InvalidEventException("staged.address_authorization_type is unset");
        }
        return new StagedDecision(staged.getIsAddressAuthorized(), type,
                optional(staged.getMatchedRule(), "staged.matched_rule", ARM_ID),
                optional(staged.getTrustedService(), "staged.trusted_service", LONG));
    }

    public static Change toChange(ChangeEvent event) throws InvalidEventException {
        Identity actor = event.getActor();
        return new Change(
                required(event.getEventId(), "event_id", ID),
                time(event.hasTime(), event.getTime()),
                optional(actor.getTenantId(), "actor.tenant_id", NAME),
                optional(actor.getObjectId(), "actor.object_id", NAME),
                optional(actor.getApplicationId(), "actor.application_id", NAME),
                kind(event),
                required(event.getResourceId(), "resource_id", ARM_ID),
                vault(optional(event.getVault(), "vault", NAME)),
                action(event),
                optional(event.getBeforeJson(), "before_json", JSON),
                optional(event.getAfterJson(), "after_json", JSON),
                optional(event.getOperation(), "operation", NAME),
                optional(event.getSource(), "source", LONG),
                optional(event.getCorrelationId(), "correlation_id", LONG));
    }

    private static Outcome outcome(DecisionEvent event) throws InvalidEventException {
        return switch (event.getResult()) {
            case RESULT_ALLOWED -> Outcome.ALLOWED;
            case RESULT_DENIED -> Outcome.DENIED;
            default -> throw unknown("result", event.getResultValue());
        };
    }

    private static Layer layer(DecisionEvent event) throws InvalidEventException {
        return switch (event.getLayer()) {
            case LAYER_AUTHENTICATION -> Layer.AUTHENTICATION;
            case LAYER_FIREWALL -> Layer.FIREWALL;
            case LAYER_ACCESS_POLICY -> Layer.ACCESS_POLICY;
            case LAYER_OPERATION -> Layer.OPERATION;
            case LAYER_REQUEST -> Layer.REQUEST;
            default -> throw unknown("layer", event.getLayerValue());
        };
    }

    private static AuthorizationType authorizationType(DecisionEvent event) throws InvalidEventException {
        return authorizationType(event.getAddressAuthorizationType(), event.getAddressAuthorizationTypeValue(),
                "address_authorization_type");
    }

    private static AuthorizationType authorizationType(AddressAuthorizationType type, int value, String field)
            throws InvalidEventException {
        return switch (type) {
            case ADDRESS_AUTHORIZATION_TYPE_UNSPECIFIED -> null;
            case ADDRESS_AUTHORIZATION_TYPE_DEFAULT_ALLOW -> AuthorizationType.DEFAULT_ALLOW;
            case ADDRESS_AUTHORIZATION_TYPE_TRUSTED_SERVICE -> AuthorizationType.TRUSTED_SERVICE;
            case ADDRESS_AUTHORIZATION_TYPE_VIRTUAL_NETWORK_RULE -> AuthorizationType.VIRTUAL_NETWORK_RULE;
            case ADDRESS_AUTHORIZATION_TYPE_IP_RULE -> AuthorizationType.IP_RULE;
            case ADDRESS_AUTHORIZATION_TYPE_DENIED -> AuthorizationType.DENIED;
            case ADDRESS_AUTHORIZATION_TYPE_UNKNOWN_VAULT -> AuthorizationType.UNKNOWN_VAULT;
            default -> throw unknown(field, value);
        };
    }

    private static ResourceKind kind(ChangeEvent event) throws InvalidEventException {
        return switch (event.getKind()) {
            case RESOURCE_KIND_VAULT -> ResourceKind.VAULT;
            case RESOURCE_KIND_NETWORK_RULE_SET -> ResourceKind.NETWORK_RULE_SET;
            case RESOURCE_KIND_ACCESS_POLICIES -> ResourceKind.ACCESS_POLICIES;
            case RESOURCE_KIND_VIRTUAL_NETWORK -> ResourceKind.VIRTUAL_NETWORK;
            default -> throw unknown("kind", event.getKindValue());
        };
    }

    private static ChangeAction action(ChangeEvent event) throws InvalidEventException {
        return switch (event.getAction()) {
            case CHANGE_ACTION_CREATED -> ChangeAction.CREATED;
            case CHANGE_ACTION_UPDATED -> ChangeAction.UPDATED;
            case CHANGE_ACTION_DELETED -> ChangeAction.DELETED;
            default -> throw unknown("action", event.getActionValue());
        };
    }

    /** Vault names are case-insensitive, as host names are: kept in lower case so that lookups use the index. */
    private static String vault(String name) {
        return name == null ? null : name.toLowerCase(Locale.ROOT);
    }

    private static InvalidEventException unknown(String field, int value) {
        return new InvalidEventException(value == 0
                ? field + " is unspecified"
                : field + " has the value " + value + ", which this version does not know");
    }

    private static Instant time(boolean present, Timestamp time) throws InvalidEventException {
        if (!present) {
            throw new InvalidEventException("time is missing");
        }
        // The range of RFC 3339 years 0001-9999, as protobuf's Timestamp defines it.
        if (time.getSeconds() < -62_135_596_800L || time.getSeconds() > 253_402_300_799L
                || time.getNanos() < 0 || time.getNanos() > 999_999_999) {
            throw new InvalidEventException("time is out of range");
        }
        return Instant.ofEpochSecond(time.getSeconds(), time.getNanos()).truncatedTo(ChronoUnit.MICROS);
    }

    private static long durationMs(boolean present, Duration duration) throws InvalidEventException {
        if (!present) {
            return 0;
        }
        if (duration.getSeconds() < 0 || duration.getNanos() < 0 || duration.getSeconds() > 86_400L * 365) {
            throw new InvalidEventException("duration is out of range");
        }
        return duration.getSeconds() * 1000 + duration.getNanos() / 1_000_000;
    }

    private static int httpStatus(int status) throws InvalidEventException {
        if (status < 0 || status > 999) {
            throw new InvalidEventException("http_status " + status + " is not an HTTP status");
        }
        return status;
    }

    private static String required(String value, String field, int maxLength) throws InvalidEventException {
        String text = optional(value, field, maxLength);
        if (text == null || text.isBlank()) {
            throw new InvalidEventException(field + " is empty");
        }
        return text;
    }

    private static String optional(String value, String field, int maxLength) throws InvalidEventException {
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > maxLength) {
            throw new InvalidEventException(field + " is longer than " + maxLength + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidEventException(field + " contains a NUL character");
        }
        return value;
    }
}
