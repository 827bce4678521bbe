package dev.moat.audit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import dev.moat.audit.support.Tokens;
import dev.moat.token.JwksSource;

/**
 * Keys fetched over HTTPS from a server whose certificate a private CA signed, as vault-service's built-in issuer
 * serves them ({@code https://localhost:<port>/<tenant>/discovery/v2.0/keys}, certificate from
 * {@code <data-dir>/vault/tls/ca.crt}): trusted through {@code moat.audit.auth.jwks-ca}, refused otherwise.
 */
class HttpsJwksTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    private static HttpsServer server;
    private static Path caPem;
    private static Path otherCaPem;
    private static String url;

    @BeforeAll
    static void issuer() throws Exception {
        TestCa ca = TestCa.create("Moat test CA");
        caPem = ca.writePem(dir.resolve("ca.crt"));
        otherCaPem = TestCa.create("Someone else's CA").writePem(dir.resolve("other-ca.crt"));
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext()));
        byte[] jwks = Tokens.jwks(Tokens.TRUSTED, Tokens.KID).getBytes(StandardCharsets.UTF_8);
        server.createContext("/" + Tokens.TENANT + "/discovery/v2.0/keys", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(jwks);
            }
        });
        server.start();
        url = "https://localhost:" + server.getAddress().getPort() + "/" + Tokens.TENANT + "/discovery/v2.0/keys";
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void fetches_the_keys_trusting_the_configured_ca() throws Exception {
        String document = JwksSource.of(url, Optional.of(caPem), TIMEOUT).fetch();

        assertThat(document).contains("\"kid\":\"" + Tokens.KID + "\"");
    }

    @Test
    void an_administrators_token_is_verified_with_keys_fetched_over_https() {
        AuditAccess access = new AuditAccess(AuthSettings.of(url).withCa(caPem.toString()), Clock.systemUTC());

        assertThat(access.check("Bearer " + Tokens.admin())).isInstanceOf(Access.Granted.class);
    }

    @Test
    void refuses_a_server_certificate_the_configured_ca_did_not_sign() {
        assertThatThrownBy(() -> JwksSource.of(url, Optional.of(otherCaPem), TIMEOUT).fetch())
                .isInstanceOf(SSLException.class);
    }

    @Test
    void without_a_configured_ca_the_jvm_trust_store_decides() {
        assertThatThrownBy(() -> JwksSource.of(url, Optional.empty(), TIMEOUT).fetch())
                .isInstanceOf(SSLException.class);
    }

    @Test
    void the_ca_file_is_read_when_fetching_so_it_may_appear_after_start() throws Exception {
        Path later = dir.resolve("later-ca.crt");
        JwksSource source = JwksSource.of(url, Optional.of(later), TIMEOUT);
        assertThatThrownBy(source::fetch).isInstanceOf(IOException.class);

        Files.copy(caPem, later); // as vault-service writes its CA on its first start, after audit-service's

        assertThat(source.fetch()).contains(Tokens.KID);
    }
}
