package dev.moat.audit.support;

import java.time.Instant;
import java.util.UUID;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;

import dev.moat.proto.events.v1.AddressAuthorizationType;
import dev.moat.proto.events.v1.ChangeAction;
import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Identity;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.ResourceKind;
import dev.moat.proto.events.v1.Result;

/** Event messages as vault-service and policy-service publish them, for tests to start from and vary. */
public final class Events {

    private Events() {
    }

    public static Timestamp timestamp(Instant time) {
        return Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano()).build();
    }

    /** A request the firewall refused: public address, no rule. */
    public static DecisionEvent.Builder firewallDenial(String vault, String callerIp, Instant time) {
        return DecisionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTime(timestamp(time))
                .setVault(vault)
                .setOperation("SecretGet")
                .setResult(Result.RESULT_DENIED)
                .setLayer(Layer.LAYER_FIREWALL)
                .setHttpStatus(403)
                .setCallerIp(callerIp)
                .setIdentity(Identity.newBuilder()
                        .setTenantId("72f988bf-86f1-41af-91ab-2d7cd011db47")
                        .setObjectId("0f2ad6a4-0000-4000-8000-000000000001")
                        .setApplicationId("11111111-2222-3333-4444-555555555555"))
                .setIsAddressAuthorized(false)
                .setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_DENIED)
                .setIsAccessPolicyMatch(false)
                .setDuration(Duration.newBuilder().setNanos(3_400_000))
                .setCorrelationId(UUID.randomUUID().toString())
                .setReason("Client address is not authorized and caller is not a trusted service.")
                .setRequestPath("/secrets/db-password")
                .setHttpMethod("GET")
                .setSource("vault-service-1");
    }

    /** A request let through by an IP rule, whose operation succeeded. */
    public static DecisionEvent.Builder ipRuleAllow(String vault, String callerIp, Instant time) {
        return firewallDenial(vault, callerIp, time)
                .setResult(Result.RESULT_ALLOWED)
                .setLayer(Layer.LAYER_OPERATION)
                .setHttpStatus(200)
                .setIsAddressAuthorized(true)
                .setAddressAuthorizationType(AddressAuthorizationType.ADDRESS_AUTHORIZATION_TYPE_IP_RULE)
                .setMatchedRule(callerIp)
                .setIsAccessPolicyMatch(true)
                .clearReason();
    }

    public static ChangeEvent.Builder networkRuleChange(String vault, Instant time) {
        return ChangeEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTime(timestamp(time))
                .setActor(Identity.newBuilder().setTenantId("t-1").setObjectId("admin-oid").setApplicationId("admin-app"))
                .setKind(ResourceKind.RESOURCE_KIND_NETWORK_RULE_SET)
                .setResourceId("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/" + vault)
                .setVault(vault)
                .setAction(ChangeAction.CHANGE_ACTION_UPDATED)
                .setBeforeJson("{\"defaultAction\":\"Allow\",\"ipRules\":[]}")
                .setAfterJson("{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"203.0.113.0/24\"}]}")
                .setOperation("VaultsCreateOrUpdate")
                .setSource("vault-service-1")
                .setCorrelationId(UUID.randomUUID().toString());
    }
}
