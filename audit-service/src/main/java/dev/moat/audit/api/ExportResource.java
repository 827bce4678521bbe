package dev.moat.audit.api;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.moat.audit.decision.DecisionFilter;
import dev.moat.audit.store.ChangeQueries;
import dev.moat.audit.store.DecisionQueries;

/**
 * Decisions as JSON Lines (one {@link AzureAuditEvent} per line, oldest first), streamed, for SIEM tools. Takes
 * the same filters as the listing, without paging.
 */
@Path("/api/v1/decisions/export")
public class ExportResource {

    static final String JSON_LINES = "application/x-ndjson";

    private static final Logger LOG = Logger.getLogger(ExportResource.class);

    private final DecisionQueries decisions;
    private final ChangeQueries changes;
    private final ObjectMapper json;

    @Inject
    ExportResource(DecisionQueries decisions, ChangeQueries changes, ObjectMapper json) {
        this.decisions = decisions;
        this.changes = changes;
        this.json = json;
    }

    @GET
    @Operation(summary = "Export decisions as JSON Lines in the field names of Azure's AuditEvent, oldest first")
    @Produces(JSON_LINES)
    public Response export(@BeanParam DecisionParams params) {
        DecisionFilter filter = params.toFilter();
        StreamingOutput body = output -> write(filter, output);
        return Response.ok(body, JSON_LINES)
                .header("Content-Disposition", "attachment; filename=\"moat-decisions.jsonl\"")
                .build();
    }

    private void write(DecisionFilter filter, OutputStream output) throws IOException {
        Map<String, String> resourceIds = new HashMap<>();
        BufferedOutputStream lines = new BufferedOutputStream(output, 64 * 1024);
        try {
            decisions.forEachOldestFirst(filter, decision -> {
                lines.write(json.writeValueAsBytes(AzureAuditEvent.of(decision,
                        resourceIds.computeIfAbsent(decision.vault(), this::resourceId))));
                lines.write('\n');
            });
            lines.flush();
        } catch (SQLException e) {
            // The status line is sent already: end the stream early; the client sees a truncated export.
            LOG.errorf("Export failed (SQLState %s): %s", e.getSQLState(), e.getMessage());
            throw new IOException("export failed", e);
        }
    }

    /** The vault's ARM id from its change history; Moat's short form when no change of it is stored. */
    private String resourceId(String vault) {
        try {
            return changes.vaultResourceId(vault)
                    .orElse("/providers/Microsoft.KeyVault/vaults/" + vault);
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("could not look up the vault's resource id", e));
        }
    }
}
