package dev.moat.console.moat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.console.config.ConsoleConfig;
import dev.moat.console.session.Session;

/**
 * Moat's own APIs, called with the signed-in user's token: the management plane (ARM), the data plane of a vault
 * host, and the audit trail. The console holds no credential of its own, so it can do nothing its user could not do
 * with curl. Data-plane calls carry the browser's address in {@code X-Forwarded-For}: vault-service believes it only
 * from a peer configured as a trusted proxy ({@code moat.vault.firewall.trusted-proxies}), which the console then is.
 */
@ApplicationScoped
public class MoatApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ConsoleConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    public MoatApi(ConsoleConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .sslContext(Tls.context(config.moat().caFile())).build();
    }

    /** A management call: {@code path} under the management URL, the api-version added. */
    public Reply arm(Session session, String method, String path, JsonNode body) {
        String url = config.moat().managementUrl() + path + (path.contains("?") ? "&" : "?") + "api-version="
                + config.moat().apiVersion();
        return send(HttpRequest.newBuilder(URI.create(url)), method, body, session.managementToken());
    }

    /** Every resource of an ARM {@code type} ({@code Microsoft.KeyVault/vaults}) in the console's subscription. */
    public Reply armList(Session session, String type) {
        return arm(session, "GET", "/subscriptions/" + config.subscription() + "/providers/" + type, null);
    }

    /** The ARM path of a vault of the console's subscription. */
    public String vaultPath(String group, String name) {
        return "/subscriptions/" + config.subscription() + "/resourceGroups/" + group
                + "/providers/Microsoft.KeyVault/vaults/" + name;
    }

    /** A data-plane call to the vault at {@code vaultUri} (as ARM's {@code vaultUri} gives it), for the browser. */
    public Reply dataPlane(Session session, String vaultUri, String path, String clientAddress) {
        URI vault = URI.create(vaultUri);
        URI target = vault.resolve(path + (path.contains("?") ? "&" : "?") + "api-version=7.5");
        HttpRequest.Builder request;
        if (config.moat().vaultAddress().isPresent()) {
            String authority = vault.getPort() < 0 ? vault.getHost() : vault.getHost() + ":" + vault.getPort();
            URI direct = URI.create(target.getScheme() + "://" + config.moat().vaultAddress().get()
                    + (vault.getPort() < 0 ? "" : ":" + vault.getPort()) + target.getRawPath() + "?"
                    + target.getRawQuery());
            request = HttpRequest.newBuilder(direct).header("Host", authority);
        } else {
            request = HttpRequest.newBuilder(target);
        }
        request.header("X-Forwarded-For", clientAddress);
        return send(request, "GET", null, session.dataPlaneToken());
    }

    /** An audit-service query: {@code path} under {@code /api/v1}, with query parameters (blank ones left out). */
    public Reply audit(Session session, String path, Map<String, String> query) {
        String q = query.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String url = config.moat().auditUrl() + "/api/v1" + path + (q.isEmpty() ? "" : "?" + q);
        return send(HttpRequest.newBuilder(URI.create(url)), "GET", null, session.managementToken());
    }

    private Reply send(HttpRequest.Builder request, String method, JsonNode body, String token) {
        try {
            request.timeout(TIMEOUT).header("Authorization", "Bearer " + token).header("Accept", "application/json");
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isBlank() ? null : parse(response.body());
            return new Reply(response.statusCode(), parsed,
                    response.headers().firstValue("x-moat-decision-id").orElse(null));
        } catch (IOException e) {
            return new Reply(503, error("ServiceUnavailable", "Moat could not be reached: " + e.getMessage()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(503, error("ServiceUnavailable", "interrupted"), null);
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return error("UnexpectedAnswer", text.length() > 200 ? text.substring(0, 200) : text);
        }
    }

    private JsonNode error(String code, String message) {
        var root = json.createObjectNode();
        root.putObject("error").put("code", code).put("message", message);
        return root;
    }
}
