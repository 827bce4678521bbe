package dev.moat.system.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.system.StackTls;

/**
 * A local stack that {@code deploy/moat up} started for a benchmark, seen from its data directory: the seeded
 * clients' credentials ({@code credentials.env}), an HTTPS client trusting the stack's CA, tokens from the built-in
 * issuer and vaults created through the management plane.
 *
 * @param base the management plane and token issuer, {@code https://localhost:<vault port>}
 */
record BenchStack(Map<String, String> credentials, HttpClient https, String base) {

    private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    static BenchStack of(Path data, int vaultPort) throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(StackTls.trusting(data.resolve("vault/tls/ca.crt")))
                .version(HttpClient.Version.HTTP_1_1).build();
        return new BenchStack(credentials(data.resolve("credentials.env")), https, "https://localhost:" + vaultPort);
    }

    String tenant() {
        return credentials.get("MOAT_TENANT_ID");
    }

    /** A token from the built-in issuer for one of the seeded clients ("ADMIN", "APP"...). */
    String token(String client, String scope) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + credentials.get("MOAT_" + client + "_CLIENT_ID")
                + "&client_secret=" + credentials.get("MOAT_" + client + "_CLIENT_SECRET") + "&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8);
        HttpResponse<String> response = https.send(HttpRequest.newBuilder(URI.create(base + "/" + tenant()
                + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = TOKEN.matcher(response.body());
        if (!m.find()) {
            throw new IllegalStateException("no token for " + client + ": " + response.statusCode());
        }
        return m.group(1);
    }

    /** Creates a vault of the stack's tenant with these {@code properties} (JSON members after tenantId and sku). */
    void putVault(String vault, String managementToken, String properties) throws Exception {
        String body = "{\"location\":\"local\",\"properties\":{\"tenantId\":\"" + tenant() + "\","
                + "\"sku\":{\"family\":\"A\",\"name\":\"standard\"}," + properties + "}}";
        HttpResponse<String> created = https.send(HttpRequest.newBuilder(URI.create(base
                + "/subscriptions/bench/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/" + vault
                + "?api-version=2023-02-01"))
                .header("Authorization", "Bearer " + managementToken).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() / 100 != 2) {
            throw new IllegalStateException("vault not created: " + created.statusCode() + " " + created.body());
        }
    }

    private static Map<String, String> credentials(Path file) throws Exception {
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }
}
