package dev.moat.audit.api;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.moat.audit.config.AuditConfig;
import dev.moat.audit.diagnosis.Diagnoser;
import dev.moat.audit.store.DiagnosisQueries;
import dev.moat.audit.store.DiagnosisQueries.FirewallDenials;

/**
 * "I can see the vault but cannot list its secrets": the firewall denials of a vault over a window, grouped by
 * client address and by subnet, each with the rule that would admit it.
 */
@Path("/api/v1/vaults/{vault}/diagnosis")
@Produces(MediaType.APPLICATION_JSON)
public class DiagnosisResource {

    private final DiagnosisQueries queries;
    private final AuditConfig.Diagnosis config;

    @Inject
    DiagnosisResource(DiagnosisQueries queries, AuditConfig config) {
        this.queries = queries;
        this.config = config.diagnosis();
    }

    /**
     * @param from inclusive start, RFC 3339; default {@code to} minus {@code moat.audit.diagnosis.default-window}
     * @param to   exclusive end, RFC 3339; default now
     */
    @GET
    @Operation(summary = "Diagnose a vault's firewall denials over a time window, with the rule that would admit each client")
    public DiagnosisView diagnose(@PathParam("vault") String vault, @QueryParam("from") String from,
            @QueryParam("to") String to) throws SQLException {
        String name = QueryParams.text("vault", vault, 128);
        Instant end = QueryParams.time("to", to);
        end = end == null ? Instant.now() : end;
        Instant start = QueryParams.time("from", from);
        start = start == null ? end.minus(config.defaultWindow()) : start;
        QueryParams.window(start, end);
        FirewallDenials denials = queries.firewallDenials(name, start, end, config.maxGroups());
        return DiagnosisView.of(Diagnoser.diagnose(name.toLowerCase(Locale.ROOT), start, end,
                denials.groups(), queries.denialsByLayer(name, start, end), denials.truncated()));
    }
}
