package dev.moat.vault.management;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.moat.outbox.EventIds;
import dev.moat.proto.events.v1.ChangeAction;
import dev.moat.proto.events.v1.ChangeEvent;
import dev.moat.proto.events.v1.ResourceKind;
import dev.moat.proto.policy.v1.NetworkRuleSet;
import dev.moat.proto.policy.v1.VaultNetworkRules;
import dev.moat.vault.access.AccessPolicyEntry;
import dev.moat.vault.auth.Endpoint;
import dev.moat.vault.auth.Identity;
import dev.moat.vault.firewall.PolicyAdminClient;
import dev.moat.vault.firewall.PolicyAdminClient.CallContext;
import dev.moat.vault.vaults.Vault;
import dev.moat.vault.vaults.VaultProperties;
import dev.moat.vault.vaults.VaultStore;

/**
 * The rules of the vault resource: who may do what, what a PUT and a PATCH mean, and that nothing is half-applied.
 * Network rules go to policy-service first; only when it accepts them is the vault stored, and when storing fails the
 * rules are put back as they were.
 */
@ApplicationScoped
public class VaultService {

    private static final Logger LOG = Logger.getLogger(VaultService.class);

    /** The vault as ARM shows it, and whether the call created it. */
    record Result(ObjectNode body, boolean created) {
    }

    @Inject
    VaultStore store;
    @Inject
    PolicyAdminClient policy;
    @Inject
    ManagementAuth auth;
    @Inject
    ResourceGroupService groups;
    /** One management write at a time in this instance; the table's primary key settles races between replicas. */
    private final ReentrantLock writes = new ReentrantLock();

    public ObjectNode get(Identity caller, CallContext ctx, Endpoint endpoint, String subscription, String group,
            String name) {
        Vault vault = existing(subscription, group, name);
        auth.requireRead(caller, vault, ArmType.VAULTS.read());
        return render(vault, ctx, endpoint);
    }

    /** The vaults of a subscription (group null) or resource group that the caller may see, by name. */
    public ObjectNode list(Identity caller, CallContext ctx, Endpoint endpoint, String subscription, String group) {
        ObjectNode page = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        var values = page.putArray("value");
        for (Vault vault : store.list(subscription, group)) {
            if (auth.mayRead(caller, vault)) {
                values.add(render(vault, ctx, endpoint));
            }
        }
        return page;
    }

    public Result put(Identity caller, CallContext ctx, Endpoint endpoint, String subscription, String group,
            String name, JsonNode body) {
        // a vault that names no location takes its resource group's, as ARM does
        VaultJson.Input input = VaultJson.readPut(groups.withDefaultLocation(subscription, group, body));
        writes.lock();
        try {
            Optional<Vault> current = store.find(canonical(name));
            if (current.isPresent()) {
                Vault before = current.get();
                if (!before.isIn(subscription, group)) {
                    throw new ArmException(409, "VaultAlreadyExists", "The vault name '" + name + "' is already in "
                            + "use. Vault names are globally unique so it is possible that the name is already taken.");
                }
                auth.requireManage(caller, before, ArmType.VAULTS.write());
                Vault after = new Vault(before.name(), before.subscriptionId(), before.resourceGroup(),
                        input.location(), input.tags(), input.properties(), before.owner());
                checkIrreversible(before.properties(), after.properties());
                VaultNetworkRules rules = apply(before, after, input, true, ctx,
                        change(ctx, endpoint, "VaultsCreateOrUpdate", before, after));
                return new Result(VaultJson.write(after, rules, endpoint.vaultUri(after.name())), false);
            }
            Vault created = new Vault(canonical(name), subscription, group, input.location(), input.tags(),
                    input.properties(), new Vault.Owner(caller.tenantId(), caller.objectId()));
            VaultNetworkRules rules = create(created, input, ctx, endpoint);
            return new Result(VaultJson.write(created, rules, endpoint.vaultUri(created.name())), true);
        } finally {
            writes.unlock();
        }
    }

    public ObjectNode patch(Identity caller, CallContext ctx, Endpoint endpoint, String subscription, String group,
            String name, JsonNode body) {
        writes.lock();
        try {
            Vault before = existing(subscription, group, name);
            auth.requireManage(caller, before, ArmType.VAULTS.write());
            VaultJson.Input input = VaultJson.readPatch(body, before);
            Vault after = new Vault(before.name(), before.subscriptionId(), before.resourceGroup(), before.location(),
                    input.tags(), input.properties(), before.owner());
            checkIrreversible(before.properties(), after.properties());
            ChangeEvent change = change(ctx, endpoint, "VaultsUpdate", before, after);
            VaultNetworkRules rules;
            if (input.hasNetworkAcls() || input.hasStagedNetworkAcls()) {
                rules = apply(before, after, input, input.hasNetworkAcls(), ctx, change);
            } else {
                rules = currentRules(before.name(), ctx);
                store.replace(after, change);
            }
            return VaultJson.write(after, rules, endpoint.vaultUri(after.name()));
        } finally {
            writes.unlock();
        }
    }

    /**
     * Makes the vault's staged (audit-only) rule set its enforced one, in one call to policy-service (one change
     * event there). 409 when the vault has no staged set.
     */
    public ObjectNode promoteStaged(Identity caller, CallContext ctx, Endpoint endpoint, String subscription,
            String group, String name) {
        writes.lock();
        try {
            Vault vault = existing(subscription, group, name);
            auth.requireManage(caller, vault, ArmType.VAULTS.write());
            VaultNetworkRules rules;
            try {
                rules = policy.promoteStaged(vault.name(), ctx);
            } catch (PolicyAdminClient.Failure e) {
                throw PolicyErrors.toArm(e);
            }
            LOG.infof("vault %s: staged network rules promoted by oid=%s", vault.name(), caller.objectId());
            return VaultJson.write(vault, rules, endpoint.vaultUri(vault.name()));
        } finally {
            writes.unlock();
        }
    }

    /** @return false when there was no such vault (ARM answers 204 then) */
    public boolean delete(Identity caller, CallContext ctx, Endpoint endpoint, String subscription, String group,
            String name) {
        writes.lock();
        try {
            Optional<Vault> vault = store.find(canonical(name)).filter(v -> v.isIn(subscription, group));
            if (vault.isEmpty()) {
                return false;
            }
            auth.requireManage(caller, vault.get(), ArmType.VAULTS.delete());
            policy.deleteVault(vault.get().name(), ctx);
            store.delete(vault.get().name(), change(ctx, endpoint, "VaultsDelete", vault.get(), null));
            LOG.infof("vault %s deleted by oid=%s", vault.get().name(), caller.objectId());
            return true;
        } catch (PolicyAdminClient.Failure e) {
            throw PolicyErrors.toArm(e);
        } finally {
            writes.unlock();
        }
    }

    private VaultNetworkRules create(Vault vault, VaultJson.Input input, CallContext ctx, Endpoint endpoint) {
        VaultNetworkRules registered;
        try {
            registered = policy.registerVault(vault.name(), input.networkAcls(), ctx);
        } catch (PolicyAdminClient.Failure e) {
            throw PolicyErrors.toArm(e);
        }
        try {
            if (input.stagedNetworkAcls() != null) {
                registered = policy.stage(vault.name(), input.stagedNetworkAcls(), ctx);
            }
        } catch (PolicyAdminClient.Failure e) {
            undo(() -> policy.deleteVault(vault.name(), ctx), vault.name());
            throw PolicyErrors.toArm(e);
        }
        try {
            store.insert(vault, change(ctx, endpoint, "VaultsCreateOrUpdate", null, vault));
        } catch (RuntimeException e) {
            LOG.errorf("vault %s: storing failed after policy-service registered it; unregistering: %s", vault.name(),
                    e.getMessage());
            undo(() -> policy.deleteVault(vault.name(), ctx), vault.name());
            throw new ArmException(409, "Conflict", "The vault '" + vault.name() + "' could not be stored (it may "
                    + "have been created concurrently); nothing was changed. Retry the request.");
        }
        LOG.infof("vault %s created by oid=%s", vault.name(), vault.owner().objectId());
        return registered;
    }

    /**
     * Replaces the enforced rules (when {@code replaceAcls}) and the staged ones (when the request names them), then
     * the stored vault; when any step fails, what was already changed in policy-service is put back as it was.
     */
    private VaultNetworkRules apply(Vault before, Vault after, VaultJson.Input input, boolean replaceAcls,
            CallContext ctx, ChangeEvent change) {
        VaultNetworkRules previous = currentRules(before.name(), ctx);
        VaultNetworkRules registered = previous;
        boolean replaced = false;
        try {
            if (replaceAcls) {
                registered = policy.registerVault(after.name(), input.networkAcls(), ctx);
                replaced = true;
            }
            if (input.hasStagedNetworkAcls()) {
                registered = input.stagedNetworkAcls() == null ? policy.clearStaged(after.name(), ctx)
                        : policy.stage(after.name(), input.stagedNetworkAcls(), ctx);
            }
        } catch (PolicyAdminClient.Failure e) {
            if (replaced) {
                undo(() -> restore(after.name(), previous, ctx), after.name());
            }
            throw PolicyErrors.toArm(e);
        }
        try {
            store.replace(after, change);
        } catch (RuntimeException e) {
            LOG.errorf("vault %s: storing failed after policy-service took the new rules; restoring them: %s",
                    after.name(), e.getMessage());
            undo(() -> restore(after.name(), previous, ctx), after.name());
            throw new ArmException(500, "InternalServerError", "The vault '" + after.name() + "' could not be "
                    + "stored; nothing was changed. Retry the request.");
        }
        return registered;
    }

    /** Puts the enforced and staged rules back as {@code previous} holds them. */
    private void restore(String vault, VaultNetworkRules previous, CallContext ctx) {
        policy.registerVault(vault, previous.hasNetworkAcls() ? previous.getNetworkAcls() : null, ctx);
        if (previous.hasStagedNetworkAcls()) {
            policy.stage(vault, previous.getStagedNetworkAcls(), ctx);
        } else {
            policy.clearStaged(vault, ctx);
        }
    }

    /** The vault's enforced and staged rules; an empty message when policy-service does not know the vault. */
    private VaultNetworkRules currentRules(String vault, CallContext ctx) {
        try {
            return policy.networkRules(vault, ctx).orElse(VaultNetworkRules.getDefaultInstance());
        } catch (PolicyAdminClient.Failure e) {
            throw PolicyErrors.toArm(e);
        }
    }

    private ObjectNode render(Vault vault, CallContext ctx, Endpoint endpoint) {
        return VaultJson.write(vault, currentRules(vault.name(), ctx), endpoint.vaultUri(vault.name()));
    }

    /**
     * The change event of a vault change, or null when nothing vault-service keeps changed (a PUT of a GET's output).
     * Before and after are the vault's ARM JSON without {@code networkAcls}: policy-service publishes rule changes.
     * A change of the access policies alone is {@code RESOURCE_KIND_ACCESS_POLICIES}.
     */
    private static ChangeEvent change(CallContext ctx, Endpoint endpoint, String operation, Vault before,
            Vault after) {
        String beforeJson = before == null ? "" : VaultJson.write(before, null, endpoint.vaultUri(before.name()))
                .toString();
        String afterJson = after == null ? "" : VaultJson.write(after, null, endpoint.vaultUri(after.name()))
                .toString();
        if (beforeJson.equals(afterJson)) {
            return null;
        }
        Vault subject = after != null ? after : before;
        ChangeAction action = before == null ? ChangeAction.CHANGE_ACTION_CREATED
                : after == null ? ChangeAction.CHANGE_ACTION_DELETED : ChangeAction.CHANGE_ACTION_UPDATED;
        boolean onlyAccessPolicies = before != null && after != null
                && !before.properties().accessPolicies().equals(after.properties().accessPolicies())
                && new Vault(after.name(), after.subscriptionId(), after.resourceGroup(), after.location(), after.tags(),
                        withPolicies(after.properties(), before.properties().accessPolicies()), after.owner())
                        .equals(before);
        Instant now = Instant.now();
        Identity actor = ctx.actor();
        return ChangeEvent.newBuilder()
                .setEventId(EventIds.next())
                .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setActor(dev.moat.proto.events.v1.Identity.newBuilder().setTenantId(actor.tenantId())
                        .setObjectId(actor.objectId()).setApplicationId(actor.applicationId()))
                .setKind(onlyAccessPolicies ? ResourceKind.RESOURCE_KIND_ACCESS_POLICIES
                        : ResourceKind.RESOURCE_KIND_VAULT)
                .setResourceId(subject.id())
                .setVault(subject.name())
                .setAction(action)
                .setBeforeJson(beforeJson)
                .setAfterJson(afterJson)
                .setOperation(operation)
                .setSource("vault-service")
                .setCorrelationId(ctx.correlationId() == null ? "" : ctx.correlationId())
                .build();
    }

    private static VaultProperties withPolicies(VaultProperties p, List<AccessPolicyEntry> policies) {
        return new VaultProperties(p.tenantId(), p.skuFamily(), p.skuName(), policies, p.enableSoftDelete(),
                p.softDeleteRetentionInDays(), p.enablePurgeProtection(), p.enableRbacAuthorization(),
                p.publicNetworkAccess(), p.enabledForDeployment(), p.enabledForDiskEncryption(),
                p.enabledForTemplateDeployment());
    }

    private Vault existing(String subscription, String group, String name) {
        return store.find(canonical(name)).filter(v -> v.isIn(subscription, group))
                .orElseThrow(() -> new ArmException(404, "ResourceNotFound", "The Resource "
                        + "'Microsoft.KeyVault/vaults/" + name + "' under resource group '" + group
                        + "' was not found. For more details please go to https://aka.ms/ARMResourceNotFound"));
    }

    private static void checkIrreversible(VaultProperties before, VaultProperties after) {
        if (Boolean.TRUE.equals(before.enablePurgeProtection()) && !Boolean.TRUE.equals(after.enablePurgeProtection())) {
            throw ArmException.badRequest("BadRequest", "The property \"enablePurgeProtection\" cannot be set to false. "
                    + "Enabling the purge protection for a vault is an irreversible action.");
        }
        if (before.enableSoftDelete() && !after.enableSoftDelete()) {
            throw ArmException.badRequest("BadRequest", "The property \"enableSoftDelete\" cannot be set to false. "
                    + "Enabling soft delete for a vault is an irreversible action.");
        }
    }

    private static void undo(Runnable action, String vault) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.errorf("vault %s: could not undo the change in policy-service: %s", vault, e.getMessage());
        }
    }

    static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

}
