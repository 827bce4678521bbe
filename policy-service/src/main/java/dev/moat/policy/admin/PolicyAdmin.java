package dev.moat.policy.admin;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.google.protobuf.Timestamp;

import dev.moat.outbox.EventIds;
import dev.moat.policy.config.PolicyConfig;
import dev.moat.outbox.ChangeOutbox;
import dev.moat.policy.decision.CheckInput;
import dev.moat.policy.decision.Decision;
import dev.moat.policy.decision.PolicySnapshot;
import dev.moat.policy.mapping.ProtoMapping;
import dev.moat.policy.network.SubnetId;
import dev.moat.policy.network.VirtualNetwork;
import dev.moat.policy.network.VirtualNetworkId;
import dev.moat.policy.network.VirtualNetworks;
import dev.moat.policy.rules.Limits;
import dev.moat.policy.rules.NetworkRuleSet;
import dev.moat.policy.rules.NetworkRuleSetInput;
import dev.moat.policy.rules.NetworkRuleSetValidator;
import dev.moat.policy.rules.Validated;
import dev.moat.policy.rules.VirtualNetworkInput;
import dev.moat.policy.rules.VirtualNetworkRuleInput;
import dev.moat.policy.rules.VirtualNetworkValidator;
import dev.moat.policy.store.PolicyStore;
import dev.moat.proto.events.v1.ChangeAction;
import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.proto.events.v1.Identity;
import dev.moat.proto.events.v1.ResourceKind;

/**
 * Every administrative change: validate against what is stored now, write it with its ChangeEvent in one
 * transaction, then recompile this instance's snapshot. A rejected update throws before anything is written.
 */
@ApplicationScoped
public class PolicyAdmin {

    /** Azure's vault name rule: 3-24 letters, digits and hyphens, starting with a letter, not ending with a hyphen. */
    private static final Pattern VAULT_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]");

    private final PolicyStore store;
    private final PolicyState state;
    private final NetworkRuleSetValidator validator;

    @Inject
    public PolicyAdmin(PolicyStore store, PolicyState state, PolicyConfig config) {
        this(store, state, new Limits(config.limits().maxIpRules(), config.limits().maxVirtualNetworkRules()));
    }

    public PolicyAdmin(PolicyStore store, PolicyState state, Limits limits) {
        this.store = store;
        this.state = state;
        this.validator = new NetworkRuleSetValidator(limits);
    }

    /** A vault's rules: empty for "no network rules". */
    public Optional<NetworkRuleSet> rules(String vault) {
        String name = vaultName(vault);
        return read(connection -> store.vault(connection, name))
                .orElseThrow(() -> new NotFoundException("vault '" + name + "' is not registered"));
    }

    /** Registers a vault with its rules (null for none), replacing them if it exists. */
    public Optional<NetworkRuleSet> registerVault(Actor actor, String vault, NetworkRuleSetInput input) {
        String name = vaultName(vault);
        return change(connection -> {
            Optional<Optional<NetworkRuleSet>> before = store.vault(connection, name);
            Optional<NetworkRuleSet> after = validate(input, store.networks(connection));
            store.saveVault(connection, name, after);
            enqueueVaultChange(connection, actor, name, "RegisterVault",
                    before.isEmpty() ? ChangeAction.CHANGE_ACTION_CREATED : ChangeAction.CHANGE_ACTION_UPDATED,
                    before.orElse(null), after);
            return after;
        });
    }

    public boolean deleteVault(Actor actor, String vault) {
        String name = vaultName(vault);
        return change(connection -> {
            Optional<Optional<NetworkRuleSet>> before = store.vault(connection, name);
            if (before.isEmpty()) {
                return false;
            }
            store.saveStaged(connection, name, Optional.empty());
            store.deleteVault(connection, name);
            enqueueVaultChange(connection, actor, name, "DeleteVault", ChangeAction.CHANGE_ACTION_DELETED,
                    before.get(), null);
            return true;
        });
    }

    /** Replaces the whole rule set (ARM PUT of networkAcls); null input removes every rule. */
    public Optional<NetworkRuleSet> replaceRules(Actor actor, String vault, NetworkRuleSetInput input) {
        String name = vaultName(vault);
        return change(connection -> {
            Optional<NetworkRuleSet> before = existing(connection, name);
            Optional<NetworkRuleSet> after = validate(input, store.networks(connection));
            return save(connection, actor, name, "ReplaceNetworkRuleSet", before, after);
        });
    }

    /** The vault's staged (audit-only) rule set; empty when it has none. */
    public Optional<NetworkRuleSet> stagedRules(String vault) {
        String name = vaultName(vault);
        return read(connection -> {
            existing(connection, name);
            return store.staged(connection, name);
        });
    }

    /**
     * Stages a rule set beside the enforced one: validated exactly as {@link #replaceRules}, stored, announced, and
     * from then on evaluated (never enforced) for every request.
     */
    public NetworkRuleSet stageRules(Actor actor, String vault, NetworkRuleSetInput input) {
        String name = vaultName(vault);
        if (input == null) {
            throw new BadRequestException("a staged rule set is required (networkAcls); clear the staged set to remove it");
        }
        return change(connection -> {
            Optional<NetworkRuleSet> enforced = existing(connection, name);
            Optional<NetworkRuleSet> before = store.staged(connection, name);
            NetworkRuleSet after = validate(input, store.networks(connection)).orElseThrow();
            if (!before.equals(Optional.of(after))) {
                store.saveStaged(connection, name, Optional.of(after));
                enqueueStagedChange(connection, actor, name, "SetStagedNetworkRuleSet", enforced, before, enforced,
                        Optional.of(after));
            }
            return after;
        });
    }

    /** Removes the staged rule set; removing none changes nothing. */
    public void clearStagedRules(Actor actor, String vault) {
        String name = vaultName(vault);
        change(connection -> {
            Optional<NetworkRuleSet> enforced = existing(connection, name);
            Optional<NetworkRuleSet> before = store.staged(connection, name);
            if (before.isPresent()) {
                store.saveStaged(connection, name, Optional.empty());
                enqueueStagedChange(connection, actor, name, "ClearStagedNetworkRuleSet", enforced, before, enforced,
                        Optional.empty());
            }
            return null;
        });
    }

    /**
     * Makes the staged rule set the enforced one, in one transaction with one change event. It is validated again,
     * as an update would be, because virtual networks may have changed since it was staged.
     */
    public NetworkRuleSet promoteStagedRules(Actor actor, String vault) {
        String name = vaultName(vault);
        return change(connection -> {
            Optional<NetworkRuleSet> enforced = existing(connection, name);
            NetworkRuleSet staged = store.staged(connection, name).orElseThrow(() -> new PreconditionException(
                    "vault '" + name + "' has no staged rule set to promote"));
            NetworkRuleSet promoted = validate(ProtoMapping.input(ProtoMapping.toProto(staged)),
                    store.networks(connection)).orElseThrow();
            store.saveVault(connection, name, Optional.of(promoted));
            store.saveStaged(connection, name, Optional.empty());
            enqueueStagedChange(connection, actor, name, "PromoteStagedNetworkRuleSet", enforced, Optional.of(staged),
                    Optional.of(promoted), Optional.empty());
            return promoted;
        });
    }

    /**
     * Decides each request under a proposed rule set without storing anything: the proposal is validated exactly as
     * {@link #replaceRules} validates an update (same validator, same networks, same violations), then compiled by
     * the same evaluator as the enforced rules, against the current virtual networks and trusted services.
     *
     * @param input the proposed rules; null for "no network rules"
     * @throws NotFoundException when the vault is not registered
     */
    public List<Decision> evaluateProposed(String vault, NetworkRuleSetInput input, List<CheckInput> requests) {
        String name = vaultName(vault);
        Optional<NetworkRuleSet> proposed = read(connection -> {
            existing(connection, name);
            return validate(input, store.networks(connection));
        });
        PolicySnapshot snapshot = state.snapshot().withVault(name, proposed);
        List<Decision> decisions = new ArrayList<>(requests.size());
        for (CheckInput request : requests) {
            decisions.add(snapshot.decide(request));
        }
        return decisions;
    }

    public Optional<NetworkRuleSet> addIpRule(Actor actor, String vault, String value) {
        return edit(actor, vault, "AddIpRule",
                (current, networks) -> validator.addIpRule(current, value).orElseThrow());
    }

    public Optional<NetworkRuleSet> removeIpRule(Actor actor, String vault, String value) {
        return edit(actor, vault, "RemoveIpRule", (current, networks) -> validator.removeIpRule(current, value));
    }

    public Optional<NetworkRuleSet> addVirtualNetworkRule(Actor actor, String vault, VirtualNetworkRuleInput rule) {
        return edit(actor, vault, "AddVirtualNetworkRule",
                (current, networks) -> validator.addVirtualNetworkRule(current, rule, networks).orElseThrow());
    }

    public Optional<NetworkRuleSet> removeVirtualNetworkRule(Actor actor, String vault, String subnetId) {
        return edit(actor, vault, "RemoveVirtualNetworkRule",
                (current, networks) -> validator.removeVirtualNetworkRule(current, subnetId));
    }

    public VirtualNetwork putNetwork(Actor actor, VirtualNetworkInput input) {
        VirtualNetwork network = VirtualNetworkValidator.validate(input).orElseThrow();
        return change(connection -> {
            Optional<VirtualNetwork> before = store.networks(connection).find(network.id());
            store.saveNetwork(connection, network);
            enqueueNetworkChange(connection, actor, network.id(), "PutVirtualNetwork",
                    before.isEmpty() ? ChangeAction.CHANGE_ACTION_CREATED : ChangeAction.CHANGE_ACTION_UPDATED,
                    before.orElse(null), network);
            return network;
        });
    }

    public VirtualNetwork network(String id) {
        VirtualNetworkId networkId = networkId(id);
        return read(connection -> store.networks(connection)).find(networkId)
                .orElseThrow(() -> new NotFoundException("virtual network '" + id + "' does not exist"));
    }

    public VirtualNetworks networks() {
        return read(store::networks);
    }

    public boolean deleteNetwork(Actor actor, String id) {
        VirtualNetworkId networkId = networkId(id);
        return change(connection -> {
            Optional<VirtualNetwork> before = store.networks(connection).find(networkId);
            if (before.isEmpty()) {
                return false;
            }
            store.deleteNetwork(connection, networkId);
            enqueueNetworkChange(connection, actor, networkId, "DeleteVirtualNetwork",
                    ChangeAction.CHANGE_ACTION_DELETED, before.get(), null);
            return true;
        });
    }

    /** Enables or disables a service endpoint on a subnet (step 2 of the source document). Idempotent. */
    public VirtualNetwork setServiceEndpoint(Actor actor, String subnetId, String service, boolean enabled) {
        SubnetId subnet = SubnetId.parse(subnetId).orElseThrow(() -> new BadRequestException(
                "subnet id '" + subnetId + "' is malformed: expected " + SubnetId.FORMAT));
        String normalised = VirtualNetworkValidator.serviceEndpoint("service", service).orElseThrow();
        return change(connection -> {
            VirtualNetwork before = store.networks(connection).find(subnet.network())
                    .orElseThrow(() -> new NotFoundException("virtual network '" + subnet.network().value()
                            + "' does not exist"));
            VirtualNetwork after = before.withServiceEndpoint(subnet, normalised, enabled)
                    .orElseThrow(() -> new NotFoundException("subnet '" + subnetId + "' does not exist"));
            store.saveNetwork(connection, after);
            enqueueNetworkChange(connection, actor, after.id(), "SetSubnetServiceEndpoint",
                    ChangeAction.CHANGE_ACTION_UPDATED, before, after);
            return after;
        });
    }

    @FunctionalInterface
    private interface Edit {
        NetworkRuleSet apply(NetworkRuleSet current, VirtualNetworks networks);
    }

    private Optional<NetworkRuleSet> edit(Actor actor, String vault, String operation, Edit edit) {
        String name = vaultName(vault);
        return change(connection -> {
            Optional<NetworkRuleSet> before = existing(connection, name);
            // a vault without rules edits an ARM-default rule set (Allow, AzureServices, no rules)
            NetworkRuleSet current = before.orElseGet(() -> validate(new NetworkRuleSetInput(null, null, null, null),
                    VirtualNetworks.empty()).orElseThrow());
            NetworkRuleSet after = edit.apply(current, store.networks(connection));
            return save(connection, actor, name, operation, before, Optional.of(after));
        });
    }

    private Optional<NetworkRuleSet> save(Connection connection, Actor actor, String vault, String operation,
            Optional<NetworkRuleSet> before, Optional<NetworkRuleSet> after) throws SQLException {
        if (!before.equals(after)) {
            store.saveVault(connection, vault, after);
            enqueueVaultChange(connection, actor, vault, operation, ChangeAction.CHANGE_ACTION_UPDATED, before, after);
        }
        return after;
    }

    private Optional<NetworkRuleSet> existing(Connection connection, String vault) throws SQLException {
        return store.vault(connection, vault)
                .orElseThrow(() -> new NotFoundException("vault '" + vault + "' is not registered"));
    }

    private Optional<NetworkRuleSet> validate(NetworkRuleSetInput input, VirtualNetworks networks) {
        if (input == null) {
            return Optional.empty();
        }
        return Optional.of(validator.validate(input, networks).orElseThrow());
    }

    private <T> T change(PolicyStore.Write<T> work) {
        T result = store.write(work);
        state.reload();
        return result;
    }

    private <T> T read(PolicyStore.Write<T> work) {
        return store.read(work);
    }

    private void enqueueVaultChange(Connection connection, Actor actor, String vault, String operation,
            ChangeAction action, Optional<NetworkRuleSet> before, Optional<NetworkRuleSet> after) throws SQLException {
        // before or after is null when the vault did not exist or no longer exists
        ChangeEvent.Builder event = changeEvent(actor, operation, action)
                .setKind(ResourceKind.RESOURCE_KIND_NETWORK_RULE_SET)
                .setResourceId(vault)
                .setVault(vault)
                .setBeforeJson(before == null ? "" : ProtoMapping.vaultJson(vault, before))
                .setAfterJson(after == null ? "" : ProtoMapping.vaultJson(vault, after));
        ChangeOutbox.enqueue(connection, event.build());
    }

    private void enqueueStagedChange(Connection connection, Actor actor, String vault, String operation,
            Optional<NetworkRuleSet> enforcedBefore, Optional<NetworkRuleSet> stagedBefore,
            Optional<NetworkRuleSet> enforcedAfter, Optional<NetworkRuleSet> stagedAfter) throws SQLException {
        ChangeEvent.Builder event = changeEvent(actor, operation, ChangeAction.CHANGE_ACTION_UPDATED)
                .setKind(ResourceKind.RESOURCE_KIND_NETWORK_RULE_SET)
                .setResourceId(vault)
                .setVault(vault)
                .setBeforeJson(ProtoMapping.vaultJson(vault, enforcedBefore, stagedBefore))
                .setAfterJson(ProtoMapping.vaultJson(vault, enforcedAfter, stagedAfter));
        ChangeOutbox.enqueue(connection, event.build());
    }

    private void enqueueNetworkChange(Connection connection, Actor actor, VirtualNetworkId id, String operation,
            ChangeAction action, VirtualNetwork before, VirtualNetwork after) throws SQLException {
        ChangeEvent.Builder event = changeEvent(actor, operation, action)
                .setKind(ResourceKind.RESOURCE_KIND_VIRTUAL_NETWORK)
                .setResourceId(id.value())
                .setBeforeJson(before == null ? "" : ProtoMapping.networkJson(before))
                .setAfterJson(after == null ? "" : ProtoMapping.networkJson(after));
        ChangeOutbox.enqueue(connection, event.build());
    }

    private static ChangeEvent.Builder changeEvent(Actor actor, String operation, ChangeAction action) {
        Instant now = Instant.now();
        return ChangeEvent.newBuilder()
                .setEventId(EventIds.next())
                .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setActor(Identity.newBuilder().setTenantId(actor.tenantId()).setObjectId(actor.objectId())
                        .setApplicationId(actor.applicationId()))
                .setAction(action)
                .setOperation(operation)
                .setSource("policy-service");
    }

    private static String vaultName(String vault) {
        if (vault == null || !VAULT_NAME.matcher(vault).matches()) {
            throw new BadRequestException("vault name '" + vault + "' is invalid: 3-24 letters, digits and hyphens, "
                    + "starting with a letter and not ending with a hyphen");
        }
        return PolicyStore.normalise(vault);
    }

    private static VirtualNetworkId networkId(String id) {
        return VirtualNetworkId.parse(id).orElseThrow(() -> new BadRequestException(
                "virtual network id '" + id + "' is malformed: expected " + VirtualNetworkId.FORMAT));
    }
}
