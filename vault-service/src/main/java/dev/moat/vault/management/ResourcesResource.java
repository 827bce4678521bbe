package dev.moat.vault.management;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.common.annotation.Blocking;

/**
 * {@code GET /subscriptions/{s}/resources}: ARM's generic resource list, which the Azure CLI uses for
 * {@code az keyvault list} and to find a vault's resource group when none is given (azure-compat.md section 9).
 * Lists the vaults the caller may manage, filtered by {@code $filter} clauses {@code resourceType eq '…'} and
 * {@code name eq '…'} joined with {@code and}.
 */
@Path("/subscriptions/{subscription}/resources")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ResourcesResource {

    private static final Pattern CLAUSE = Pattern.compile("\\s*(\\w+)\\s+eq\\s+'([^']*)'\\s*",
            Pattern.CASE_INSENSITIVE);

    @Inject
    ManagementRequest requests;
    @Inject
    VaultService vaults;

    @GET
    public Response list(@BeanParam ArmRequest arm, @QueryParam("$filter") String filter) {
        var call = requests.begin(arm);
        Map<String, String> wanted = clauses(filter);
        ObjectNode page = JsonNodeFactory.instance.objectNode();
        ArrayNode values = page.putArray("value");
        String type = wanted.get("resourcetype");
        if (type != null && !type.equalsIgnoreCase(ArmType.VAULTS.name())) {
            return Response.ok(page).build();
        }
        String name = wanted.get("name");
        vaults.list(call.caller(), call.context(), call.endpoint(), call.subscription(), null).withArray("value")
                .forEach(vault -> {
                    if (name == null || vault.path("name").asText().equalsIgnoreCase(name)) {
                        ObjectNode resource = values.addObject();
                        for (String field : new String[] {"id", "name", "type", "location", "tags"}) {
                            resource.set(field, vault.get(field));
                        }
                    }
                });
        return Response.ok(page).build();
    }

    private static Map<String, String> clauses(String filter) {
        Map<String, String> clauses = new HashMap<>();
        if (filter == null || filter.isBlank()) {
            return clauses;
        }
        for (String clause : filter.split("(?i)\\s+and\\s+")) {
            Matcher m = CLAUSE.matcher(clause);
            String field = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
            if (field == null || !(field.equals("resourcetype") || field.equals("name"))) {
                throw ArmException.badRequest("InvalidFilterInQueryString", "The $filter clause '" + clause.trim()
                        + "' is not supported: use resourceType eq '...' and name eq '...' joined with 'and'.");
            }
            clauses.put(field, m.group(2));
        }
        return clauses;
    }
}
