package dev.moat.vault.management;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.moat.vault.masterkeys.MasterKeyReport;
import dev.moat.vault.masterkeys.MasterKeyRotation;
import io.smallrye.common.annotation.Blocking;

/**
 * {@code GET /providers/Moat.Vault/masterKeys}: where a master-key rotation stands
 * (docs/adr/0018-master-key-rotation.md), for administrators and readers: per master key id, the data keys still
 * wrapped under it, the live replicas that hold it and that wrap under it, and whether it can be removed. Ids only,
 * never key material.
 */
@Path("/providers/Moat.Vault/masterKeys")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class MasterKeysResource {

    private static final String SCOPE = "/providers/Moat.Vault/masterKeys";

    @Inject
    ManagementRequest requests;
    @Inject
    ManagementAuth auth;
    @Inject
    MasterKeyRotation rotation;

    @GET
    public MasterKeyReport get(@BeanParam ArmRequest arm) {
        ManagementRequest.Call call = requests.begin(arm);
        auth.requireReader(call.caller(), "Moat.Vault/masterKeys/read", SCOPE);
        return rotation.report();
    }
}
