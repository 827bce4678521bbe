package dev.moat.vault.api;

import static dev.moat.vault.api.CertificateJson.text;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.vault.certificates.CertificateSettings.Contact;
import dev.moat.vault.certificates.CertificateSettings.Issuer;
import dev.moat.vault.certificates.CertificateSettings.IssuerChange;
import dev.moat.vault.certificates.CertificateSettings;
import dev.moat.vault.objects.Page;
import dev.moat.vault.objects.VaultObjectException;
import dev.moat.vault.pipeline.DataPlaneOperation;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Operation;
import dev.moat.vault.vaults.Vault;
import io.smallrye.common.annotation.Blocking;

/**
 * Certificate contacts ({@code /certificates/contacts}, permission {@code managecontacts}) and issuers
 * ({@code /certificates/issuers[/{name}]}, {@code getissuers}, {@code listissuers}, {@code setissuers},
 * {@code deleteissuers}), through {@link DataPlanePipeline}. An issuer's {@code credentials.pwd} is accepted and
 * dropped: it is never stored nor returned (Key Vault does not return it either).
 */
@Path("/certificates")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class CertificateSettingsResource {

    @Inject
    DataPlanePipeline pipeline;
    @Inject
    HttpRequests requests;
    @Inject
    CertificateSettings settings;
    @Inject
    ObjectMapper json;

    @GET
    @Path("/contacts")
    public Response contacts(@BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_CONTACTS_GET, (vault, out) -> ok(contacts(out, settings.contacts(vault))));
    }

    @PUT
    @Path("/contacts")
    public Response setContacts(byte[] body, @BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_CONTACTS_SET, (vault, out) -> ok(contacts(out, settings.setContacts(vault, readContacts(body)))));
    }

    @DELETE
    @Path("/contacts")
    public Response deleteContacts(@BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_CONTACTS_DELETE, (vault, out) -> ok(contacts(out, settings.deleteContacts(vault))));
    }

    @GET
    @Path("/issuers")
    public Response issuers(@QueryParam("maxresults") String maxResults,
            @QueryParam("$skiptoken") String skipToken, @BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_ISSUER_LIST, (vault, out) -> {
                    int max = Paging.maxResults(maxResults);
                    Page<Issuer> page = settings.issuers(vault, Paging.after(skipToken), max);
                    List<Map<String, Object>> items = page.items().stream().map(issuer -> Map.<String, Object>of(
                            "id", out.wire().base() + "/certificates/issuers/" + issuer.name(),
                            "provider", issuer.provider())).toList();
                    return ok(out.wire().list(page, items, "/certificates/issuers", max));
                });
    }

    @GET
    @Path("/issuers/{name}")
    public Response issuer(@PathParam("name") String name, @BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_ISSUER_GET, (vault, out) -> ok(issuer(out, settings.issuer(vault, name))));
    }

    @PUT
    @Path("/issuers/{name}")
    public Response putIssuer(@PathParam("name") String name, byte[] body, @BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_ISSUER_SET, (vault, out) -> ok(issuer(out, settings.putIssuer(vault, name, readIssuer(body), true))));
    }

    @PATCH
    @Path("/issuers/{name}")
    public Response patchIssuer(@PathParam("name") String name, byte[] body, @BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_ISSUER_SET, (vault, out) -> ok(issuer(out, settings.putIssuer(vault, name, readIssuer(body), false))));
    }

    @DELETE
    @Path("/issuers/{name}")
    public Response deleteIssuer(@PathParam("name") String name, @BeanParam DataPlaneCall call) {
        return run(call, Operation.CERTIFICATE_ISSUER_DELETE, (vault, out) -> ok(issuer(out, settings.deleteIssuer(vault, name))));
    }

    private static Map<String, Object> contacts(CertificateJson out, List<Contact> contacts) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Contact contact : contacts) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("email", contact.email());
            ObjectJson.putPresent(item, "name", contact.name());
            ObjectJson.putPresent(item, "phone", contact.phone());
            items.add(item);
        }
        return Map.of("id", out.wire().base() + "/certificates/contacts", "contacts", items);
    }

    private Map<String, Object> issuer(CertificateJson out, Issuer issuer) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", out.wire().base() + "/certificates/issuers/" + issuer.name());
        result.put("provider", issuer.provider());
        if (issuer.accountId() != null) {
            result.put("credentials", Map.of("account_id", issuer.accountId()));
        }
        if (issuer.orgDetails() != null) {
            try {
                result.put("org_details", json.readTree(issuer.orgDetails()));
            } catch (IOException e) {
                throw new IllegalStateException("unreadable stored org_details of issuer " + issuer.name());
            }
        }
        result.put("attributes", Map.of("enabled", issuer.enabled(), "created", issuer.created(), "updated",
                issuer.updated()));
        return result;
    }

    private List<Contact> readContacts(byte[] body) {
        JsonNode contacts = object(body).get("contacts");
        if (contacts == null || !contacts.isArray()) {
            throw VaultObjectException.badParameter("'contacts' must be an array of {email, name, phone}.");
        }
        List<Contact> result = new ArrayList<>();
        for (JsonNode contact : contacts) {
            if (!contact.isObject()) {
                throw VaultObjectException.badParameter("Each of 'contacts' must be an object {email, name, phone}.");
            }
            result.add(new Contact(text(contact, "email"), text(contact, "name"), text(contact, "phone")));
        }
        return result;
    }

    private IssuerChange readIssuer(byte[] body) {
        JsonNode root = object(body);
        JsonNode credentials = root.get("credentials");
        JsonNode org = root.get("org_details");
        JsonNode attributes = root.get("attributes");
        if (org != null && !org.isNull() && !org.isObject()) {
            throw VaultObjectException.badParameter("'org_details' must be an object.");
        }
        JsonNode enabled = attributes == null ? null : attributes.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw VaultObjectException.badParameter("'attributes.enabled' must be true or false.");
        }
        return new IssuerChange(text(root, "provider"),
                credentials == null || !credentials.isObject() ? null : text(credentials, "account_id"),
                org == null || org.isNull() ? null : org.toString(),
                enabled == null || enabled.isNull() ? null : enabled.asBoolean());
    }

    private JsonNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw VaultObjectException.badParameter("The request has no body: it needs a JSON object.");
        }
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                throw VaultObjectException.badParameter("The request body must be a JSON object.");
            }
            return root;
        } catch (IOException e) {
            throw VaultObjectException.badParameter("The request body is not valid JSON.");
        }
    }

    private Response run(DataPlaneCall call, DataPlaneOperation operation,
            BiFunction<Vault, CertificateJson, Response> work) {
        return VaultObjectResource.run(pipeline, requests, call, operation, CertificateJson::new,
                (vault, out, caller) -> work.apply(vault, out));
    }

    private static Response ok(Object entity) {
        return VaultObjectResource.ok(entity);
    }
}
