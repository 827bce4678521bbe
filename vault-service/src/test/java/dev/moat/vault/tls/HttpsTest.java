package dev.moat.vault.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

import dev.moat.vault.testing.TestHttps;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

@QuarkusTest
class HttpsTest {

    /** Served on the bare host without a token (health and metrics are on the management interface, not here). */
    private static final String METADATA = "/metadata/endpoints?api-version=2022-09-01";

    @Test
    void the_first_start_generated_a_local_ca_and_a_server_certificate_for_the_vault_hosts() throws Exception {
        var tls = TestHttps.DATA_DIR.resolve("vault").resolve("tls");
        X509Certificate server = LocalCertificates.readCertificates(tls.resolve("server.crt")).get(0);
        Set<String> names = new HashSet<>();
        for (List<?> san : server.getSubjectAlternativeNames()) {
            names.add(String.valueOf(san.get(1)));
        }
        assertThat(names).contains("localhost", "*.vault.localhost", "127.0.0.1");
        X509Certificate ca = LocalCertificates.readCertificates(tls.resolve("ca.crt")).get(0);
        server.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        for (String key : List.of("ca.key", "server.key")) {
            assertThat(Files.getPosixFilePermissions(tls.resolve(key)))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void a_client_that_trusts_only_the_local_ca_verifies_the_server_with_host_name_checks() throws Exception {
        SSLContext context = TestHttps.sslContext("TLS");
        HttpClient client = HttpClient.newBuilder().sslContext(context).build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + RestAssured.port + METADATA)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void a_tls_1_2_client_connects() throws Exception {
        SSLContext context = TestHttps.sslContext("TLSv1.2");
        javax.net.ssl.SSLParameters only12 = context.getDefaultSSLParameters();
        only12.setProtocols(new String[] {"TLSv1.2"});
        HttpClient client = HttpClient.newBuilder().sslContext(context).sslParameters(only12).build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + RestAssured.port + METADATA)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.sslSession()).map(javax.net.ssl.SSLSession::getProtocol).contains("TLSv1.2");
    }

    @Test
    void a_tls_1_1_client_is_refused_by_the_server() throws Exception {
        // OpenSSL as the client: the JDK's own client would refuse to offer TLS 1.1 before the server could.
        Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + RestAssured.port,
                "-servername", "localhost", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0")
                .redirectErrorStream(true).start();
        openssl.getOutputStream().close();
        String output = new String(openssl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        openssl.waitFor();

        // the server's protocol_version alert (70): it was the server that said no
        assertThat(output).contains("alert protocol version");
        assertThat(openssl.exitValue()).isNotZero();
    }

    @Test
    void both_planes_route_on_the_http2_authority_as_on_the_http1_host_header() throws Exception {
        TestHttps.trustLocalCa();
        dev.moat.vault.testing.PolicyServiceDouble.reset();
        dev.moat.vault.testing.Vaults.put("h2vault", dev.moat.vault.testing.Vaults.body(
                dev.moat.vault.testing.Vaults.secretsPolicy(dev.moat.vault.testing.Tokens.ALICE, "get")));
        SSLContext context = TestHttps.sslContext("TLS");
        HttpClient client = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_2).build();

        HttpResponse<String> data = client.send(HttpRequest.newBuilder(
                URI.create("https://h2vault.vault.localhost:" + RestAssured.port + "/secrets/s1?api-version=7.5"))
                .header("Authorization", dev.moat.vault.testing.Tokens.dataPlane().bearer()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(data.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(data.statusCode()).isEqualTo(404);
        assertThat(data.body()).contains("SecretNotFound");

        HttpResponse<String> management = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + RestAssured.port + dev.moat.vault.testing.Vaults.path("h2vault")))
                .header("Authorization", dev.moat.vault.testing.Tokens.management()
                        .objectId(dev.moat.vault.testing.Tokens.ADMIN).bearer()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(management.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(management.statusCode()).isEqualTo(200);
    }

    @Test
    void a_client_that_does_not_trust_the_local_ca_is_refused() {
        HttpClient client = HttpClient.newHttpClient();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + RestAssured.port + METADATA)).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void plain_http_is_not_served() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        int status;
        try {
            status = client.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + RestAssured.port + METADATA)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.io.IOException refused) {
            status = -1;
        }
        assertThat(status).as("plain HTTP on the HTTPS port").isNotEqualTo(200);
        assertThat(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.insecure-requests", String.class)).isEqualTo("disabled");
    }
}
