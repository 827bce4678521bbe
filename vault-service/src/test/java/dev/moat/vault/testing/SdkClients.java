package dev.moat.vault.testing;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;

import io.restassured.RestAssured;

/**
 * What the unmodified Azure SDK needs to reach the running service: an HTTP client that trusts the local CA, and the
 * credential of the application the test configuration registers with the built-in issuer. Call them once the test
 * instance runs (not in {@code @BeforeAll}): the server's port is known only then.
 */
public final class SdkClients {

    /** The client id of the SDK's application, and its secret. */
    public static final String CLIENT = "11111111-2222-3333-4444-555555555555";
    public static final String SECRET = "s3cret-for-tests";
    /** Its object id, for access policies. */
    public static final String CLIENT_OID = "0b1ec700-0000-0000-0000-000000000042";

    private SdkClients() {
    }

    public static HttpClient trustingTheLocalCa() {
        return new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(TestHttps.sslContext("TLS")))
                .build();
    }

    /** The application's credential, through the built-in issuer's client-credentials grant over {@code http}. */
    public static ClientSecretCredential credential(HttpClient http) {
        return new ClientSecretCredentialBuilder()
                .tenantId(Tokens.TENANT).clientId(CLIENT).clientSecret(SECRET)
                .authorityHost("https://localhost:" + RestAssured.port)
                .disableInstanceDiscovery()
                .httpClient(http)
                .build();
    }
}
