package dev.moat.policy.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.moat.testing.tokens.SigningKey;

import dev.moat.proto.events.v1.ChangeAction;
import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.proto.events.v1.ResourceKind;
import dev.moat.proto.policy.v1.Caller;
import dev.moat.proto.policy.v1.CheckRequest;
import dev.moat.proto.policy.v1.CheckResponse;
import dev.moat.proto.policy.v1.GetNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.IpRule;
import dev.moat.proto.policy.v1.IpRuleRequest;
import dev.moat.proto.policy.v1.ListTrustedServicesRequest;
import dev.moat.proto.policy.v1.NetworkRuleSet;
import dev.moat.proto.policy.v1.PutVirtualNetworkRequest;
import dev.moat.proto.policy.v1.Reason;
import dev.moat.proto.policy.v1.RegisterVaultRequest;
import dev.moat.proto.policy.v1.ReplaceNetworkRuleSetRequest;
import dev.moat.proto.policy.v1.SetSubnetServiceEndpointRequest;
import dev.moat.proto.policy.v1.Subnet;
import dev.moat.proto.policy.v1.VirtualNetwork;
import dev.moat.proto.policy.v1.VirtualNetworkRule;
import dev.moat.proto.policy.v1.VirtualNetworkRuleRequest;
import dev.moat.testing.kafka.KafkaBrokerResource;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** policy-service over real gRPC, with its H2 store and a real Kafka broker for change events. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PolicyAuthResource.class)
class PolicyGrpcTest extends AuthenticatedStubs {

    private static final String VNET = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/app";
    private static final String SUBNET = VNET + "/subnets/web";

    @GrpcClient("policy")
    HealthGrpc.HealthBlockingStub health;

    @Test
    void a_vault_policy_service_does_not_know_is_denied_never_allowed() {
        CheckResponse answer = check("neverregistered", "203.0.113.7", "");

        assertThat(answer.getAllowed()).isFalse();
        assertThat(answer.getReason()).isEqualTo(Reason.REASON_UNKNOWN_VAULT);
        assertThat(answer.getDecisionId()).hasSize(36);
    }

    @Test
    void a_registered_vault_without_rules_allows_every_origin() {
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("openvault").build());

        CheckResponse answer = check("openvault", "10.1.2.3", "");

        assertThat(answer.getAllowed()).isTrue();
        assertThat(answer.getReason()).isEqualTo(Reason.REASON_DEFAULT_ALLOW);
    }

    @Test
    void ip_rules_admit_their_range_and_deny_the_rest_with_the_matched_rule_named() {
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("ipvault")
                .setNetworkAcls(deny().addIpRules(ip("203.0.113.0/24")).addIpRules(ip("198.51.100.7"))).build());

        assertThat(check("ipvault", "203.0.113.99", "")).satisfies(a -> {
            assertThat(a.getReason()).isEqualTo(Reason.REASON_IP_RULE);
            assertThat(a.getMatchedRule()).isEqualTo("203.0.113.0/24");
        });
        assertThat(check("ipvault", "198.51.100.7", "").getMatchedRule()).isEqualTo("198.51.100.7");
        assertThat(check("ipvault", "198.51.100.8", "")).satisfies(a -> {
            assertThat(a.getAllowed()).isFalse();
            assertThat(a.getReason()).isEqualTo(Reason.REASON_DENIED);
            assertThat(a.getMessage()).contains("198.51.100.8");
        });
    }

    @Test
    void a_rejected_replacement_is_invalid_argument_naming_every_bad_value_and_changes_nothing() {
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("strictvault")
                .setNetworkAcls(deny().addIpRules(ip("203.0.113.0/24"))).build());

        assertThatThrownBy(() -> admin.replaceNetworkRuleSet(ReplaceNetworkRuleSetRequest.newBuilder()
                .setVault("strictvault")
                .setNetworkAcls(deny().addIpRules(ip("198.51.100.0/24")).addIpRules(ip("10.0.0.0/8"))
                        .addIpRules(ip("1.2.3.4/24")))
                .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("10.0.0.0/8").contains("1.2.3.4/24")
                            .contains("1.2.3.0/24");
                });

        var stored = admin.getNetworkRuleSet(GetNetworkRuleSetRequest.newBuilder().setVault("strictvault").build());
        assertThat(stored.getNetworkAcls().getIpRulesList()).extracting(IpRule::getValue).containsExactly("203.0.113.0/24");
        assertThat(check("strictvault", "198.51.100.1", "").getAllowed()).isFalse();
    }

    @Test
    void adding_an_ip_rule_twice_keeps_one_and_the_next_check_sees_it() {
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("editvault").setNetworkAcls(deny()).build());
        var add = IpRuleRequest.newBuilder().setVault("editvault").setValue("192.0.2.0/24").build();

        admin.addIpRule(add);
        var after = admin.addIpRule(add);

        assertThat(after.getNetworkAcls().getIpRulesList()).hasSize(1);
        assertThat(check("editvault", "192.0.2.10", "").getReason()).isEqualTo(Reason.REASON_IP_RULE);
        admin.removeIpRule(add);
        assertThat(check("editvault", "192.0.2.10", "").getAllowed()).isFalse();
    }

    @Test
    void a_private_address_passes_only_through_a_subnet_with_the_key_vault_endpoint_and_a_rule() {
        admin.putVirtualNetwork(PutVirtualNetworkRequest.newBuilder().setNetwork(VirtualNetwork.newBuilder()
                .setId(VNET).addAddressPrefixes("10.20.0.0/16")
                .addSubnets(Subnet.newBuilder().setName("web").setAddressPrefix("10.20.1.0/24"))).build());
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("vnetvault").setNetworkAcls(deny()
                .addVirtualNetworkRules(VirtualNetworkRule.newBuilder().setId(SUBNET)
                        .setIgnoreMissingVnetServiceEndpoint(true))).build());
        assertThat(check("vnetvault", "10.20.1.5", "")).satisfies(a -> {
            assertThat(a.getAllowed()).isFalse();
            assertThat(a.getResolvedSubnetId()).isEqualToIgnoringCase(SUBNET);
            assertThat(a.getResolvedSubnetLacksKeyVaultEndpoint()).isTrue();
            assertThat(a.getMessage()).contains("does not have the Microsoft.KeyVault service endpoint enabled");
        });

        admin.setSubnetServiceEndpoint(SetSubnetServiceEndpointRequest.newBuilder()
                .setSubnetId(SUBNET).setService("microsoft.keyvault").setEnabled(true).build());
        assertThat(check("vnetvault", "10.20.1.5", "")).satisfies(a -> {
            assertThat(a.getReason()).isEqualTo(Reason.REASON_VIRTUAL_NETWORK_RULE);
            assertThat(a.getResolvedSubnetId()).isEqualToIgnoringCase(SUBNET);
            assertThat(a.getResolvedSubnetLacksKeyVaultEndpoint()).isFalse();
        });
        // A trusted edge naming the subnet for an address outside it is not believed, unless it is behind NAT.
        assertThat(check("vnetvault", "203.0.113.5", SUBNET).getAllowed()).isFalse();
        assertThat(decisions.check(CheckRequest.newBuilder().setVault("vnetvault").setClientAddress("203.0.113.5")
                .setSourceSubnetId(SUBNET).setSourceSubnetBehindNat(true).build()).getReason())
                .isEqualTo(Reason.REASON_VIRTUAL_NETWORK_RULE);
        assertThat(check("vnetvault", "10.20.2.5", "").getAllowed()).isFalse();

        admin.setSubnetServiceEndpoint(SetSubnetServiceEndpointRequest.newBuilder()
                .setSubnetId(SUBNET).setService("Microsoft.KeyVault").setEnabled(false).build());
        assertThat(check("vnetvault", "10.20.1.5", "").getAllowed()).isFalse();
    }

    @Test
    void a_virtual_network_rule_without_the_endpoint_is_refused_unless_told_to_ignore_it() {
        String vnet = VNET.replace("/app", "/plain");
        admin.putVirtualNetwork(PutVirtualNetworkRequest.newBuilder().setNetwork(VirtualNetwork.newBuilder()
                .setId(vnet).addAddressPrefixes("10.30.0.0/16")
                .addSubnets(Subnet.newBuilder().setName("db").setAddressPrefix("10.30.1.0/24"))).build());
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("refusevault").setNetworkAcls(deny()).build());

        assertThatThrownBy(() -> admin.addVirtualNetworkRule(VirtualNetworkRuleRequest.newBuilder()
                .setVault("refusevault").setRule(VirtualNetworkRule.newBuilder().setId(vnet + "/subnets/db")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("Microsoft.KeyVault");
                });
    }

    @Test
    void a_trusted_service_passes_when_bypass_is_azure_services() {
        var service = admin.listTrustedServices(ListTrustedServicesRequest.getDefaultInstance()).getServices(0);
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("trustvault")
                .setNetworkAcls(deny().setBypass("AzureServices")).build());

        CheckResponse answer = decisions.check(CheckRequest.newBuilder().setVault("trustvault")
                .setClientAddress("52.0.0.1")
                .setCaller(Caller.newBuilder().setApplicationId(service.getApplicationId())).build());

        assertThat(answer.getReason()).isEqualTo(Reason.REASON_TRUSTED_SERVICE);
        assertThat(answer.getTrustedService()).isEqualTo(service.getName());
    }

    @Test
    void the_catalog_holds_the_eighteen_services_of_the_source_document() {
        // 19 entries: Exchange Online and SharePoint Online share one row of the source document.
        assertThat(admin.listTrustedServices(ListTrustedServicesRequest.getDefaultInstance()).getServicesList())
                .hasSize(19).extracting(s -> s.getName()).containsOnlyOnce("Azure Backup").hasSize(19)
                .filteredOn(name -> name.startsWith("Exchange")).hasSize(2);
    }

    @Test
    void an_ipv6_client_is_decided_never_refused_as_input() {
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("sixopen").build());
        admin.registerVault(RegisterVaultRequest.newBuilder().setVault("sixdeny").setNetworkAcls(deny()
                .addIpRules(ip("198.51.100.0/24"))).build());

        assertThat(check("sixopen", "2001:db8::1", "").getReason()).isEqualTo(Reason.REASON_DEFAULT_ALLOW);
        assertThat(check("sixdeny", "2001:db8::1", "")).satisfies(a -> {
            assertThat(a.getAllowed()).isFalse();
            assertThat(a.getReason()).isEqualTo(Reason.REASON_DENIED);
            assertThat(a.getMessage()).contains("2001:db8::1", "IPv4-only");
        });
    }

    @Test
    void a_malformed_check_is_invalid_argument() {
        assertThatThrownBy(() -> check("openvault", "not-an-address", ""))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void every_change_is_published_as_a_change_event_with_before_and_after() {
        List<ChangeEvent> events = new CopyOnWriteArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.broker().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "change-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("moat.changes.v1"));
            admin.registerVault(RegisterVaultRequest.newBuilder().setVault("auditedvault").build());
            admin.addIpRule(IpRuleRequest.newBuilder().setVault("auditedvault").setValue("203.0.113.0/24").build());

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    events.add(ChangeEvent.parseFrom(record.value()));
                }
                return events.stream().filter(e -> e.getVault().equals("auditedvault")).count() >= 2;
            });
        }
        var mine = events.stream().filter(e -> e.getVault().equals("auditedvault")).toList();
        assertThat(mine.get(0).getAction()).isEqualTo(ChangeAction.CHANGE_ACTION_CREATED);
        assertThat(mine.get(1).getKind()).isEqualTo(ResourceKind.RESOURCE_KIND_NETWORK_RULE_SET);
        assertThat(mine.get(1).getBeforeJson()).doesNotContain("203.0.113.0/24");
        assertThat(mine.get(1).getAfterJson()).contains("203.0.113.0/24");
        assertThat(mine.get(1).getActor().getObjectId()).isEqualTo("admin-oid");
        assertThat(mine.get(1).getActor().getTenantId()).isEqualTo("t1");
    }

    static Stream<Arguments> refusedCallers() {
        SigningKey stranger = SigningKey.generate(Path.of(System.getProperty("java.io.tmpdir"), "stranger-" + System.nanoTime()));
        return Stream.of(
                Arguments.of("no token", null, Status.Code.UNAUTHENTICATED),
                Arguments.of("not a JWT", "garbage", Status.Code.UNAUTHENTICATED),
                Arguments.of("expired", PolicyAuthResource.key.token("moat", "moat-policy", List.of("Policy.Admin"),
                        Duration.ofMinutes(-5), Map.of()), Status.Code.UNAUTHENTICATED),
                Arguments.of("signed by another key", stranger.token("moat", "moat-policy", List.of("Policy.Admin"),
                        Duration.ofMinutes(5), Map.of()), Status.Code.UNAUTHENTICATED),
                Arguments.of("another audience", PolicyAuthResource.key.token("moat", "https://management.localhost",
                        List.of("Policy.Admin"), Duration.ofMinutes(5), Map.of()), Status.Code.UNAUTHENTICATED),
                Arguments.of("another issuer", PolicyAuthResource.key.token("someone", "moat-policy",
                        List.of("Policy.Admin"), Duration.ofMinutes(5), Map.of()), Status.Code.UNAUTHENTICATED),
                Arguments.of("the check role only", PolicyAuthResource.token("Policy.Check"), Status.Code.PERMISSION_DENIED),
                Arguments.of("no role", PolicyAuthResource.token(), Status.Code.PERMISSION_DENIED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedCallers")
    void the_admin_api_refuses_anyone_but_an_authenticated_administrator(String who, String token, Status.Code code) {
        var stub = token == null ? anonymousAdmin : anonymousAdmin.withInterceptors(PolicyAuthResource.bearer(token));

        assertThatThrownBy(() -> stub.registerVault(RegisterVaultRequest.newBuilder().setVault("intruded").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
        assertThat(check("intruded", "203.0.113.1", "").getReason()).isEqualTo(Reason.REASON_UNKNOWN_VAULT);
    }

    @Test
    void check_is_refused_without_the_check_role() {
        var adminOnly = PolicyAuthResource.as(anonymousDecisions, "Policy.Admin");
        assertThatThrownBy(() -> adminOnly.check(CheckRequest.newBuilder().setVault("openvault")
                .setClientAddress("203.0.113.1").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> anonymousDecisions.check(CheckRequest.newBuilder().setVault("openvault")
                .setClientAddress("203.0.113.1").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void the_standard_grpc_health_service_says_serving() {
        var status = health.withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthOuterClass.HealthCheckRequest.getDefaultInstance()).getStatus();
        assertThat(status).isEqualTo(HealthOuterClass.HealthCheckResponse.ServingStatus.SERVING);
    }

    private CheckResponse check(String vault, String address, String subnet) {
        return decisions.check(CheckRequest.newBuilder().setVault(vault).setClientAddress(address)
                .setSourceSubnetId(subnet).build());
    }

    private static NetworkRuleSet.Builder deny() {
        return NetworkRuleSet.newBuilder().setDefaultAction("Deny").setBypass("None");
    }

    private static IpRule ip(String value) {
        return IpRule.newBuilder().setValue(value).build();
    }
}
