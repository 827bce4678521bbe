package dev.moat.audit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.audit.support.Tokens;

/** What the service refuses to start with, and the rule itself without HTTP (AdministratorsOnlyTest has the HTTP side). */
class AuditAccessTest {

    @TempDir
    Path dir;

    private static AuditAccess access(AuthSettings settings) {
        return new AuditAccess(settings, Clock.systemUTC());
    }

    private AuthSettings withTrustedJwks() throws Exception {
        Path jwks = Files.writeString(dir.resolve("jwks.json"), Tokens.jwks(Tokens.TRUSTED, Tokens.KID));
        return AuthSettings.of(jwks.toString());
    }

    @Test
    void refuses_to_start_without_a_jwks() {
        assertThatThrownBy(() -> access(AuthSettings.of(null))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("moat.audit.auth.jwks is not set")
                .hasMessageContaining("moat.audit.auth.enabled=false");
        assertThatThrownBy(() -> access(AuthSettings.of(" "))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("moat.audit.auth.jwks is not set");
    }

    @Test
    void refuses_to_start_without_an_issuer() {
        assertThatThrownBy(() -> access(AuthSettings.of("jwks.json").withIssuer(null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("moat.audit.auth.issuer is not set");
    }

    @Test
    void refuses_to_start_with_keys_fetched_over_plain_http() {
        assertThatThrownBy(() -> access(AuthSettings.of("http://localhost:8443/t/discovery/v2.0/keys")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither an https:// URL nor a file path");
    }

    @Test
    void starts_without_reading_the_keys_which_the_issuer_may_not_serve_yet() {
        AuditAccess access = access(AuthSettings.of("https://localhost:1/t/discovery/v2.0/keys")
                .withCa(dir.resolve("not-yet-generated-ca.crt").toString()));

        assertThat(access.check("Bearer " + Tokens.admin())).isInstanceOf(Access.Unavailable.class);
    }

    @Test
    void is_open_to_anyone_when_disabled() {
        AuditAccess access = access(AuthSettings.of(null).disabled());

        assertThat(access.check(null)).isInstanceOf(Access.Granted.class);
        assertThat(access.check("Bearer garbage")).isInstanceOf(Access.Granted.class);
    }

    @Test
    void grants_administrators_by_object_id_in_any_case() throws Exception {
        AuthSettings settings = withTrustedJwks();
        AuditAccess access = access(new AuthSettings(true, settings.jwks(), Optional.empty(), settings.issuer(),
                settings.audience(), Optional.of(List.of(" " + Tokens.ADMIN_OID.toUpperCase() + " ")),
                settings.clockSkew(), settings.jwksMinRefreshInterval(), settings.jwksTimeout()));

        assertThat(access.check("Bearer " + Tokens.admin())).isInstanceOf(Access.Granted.class);
        assertThat(access.check("bearer " + Tokens.admin())).isInstanceOf(Access.Granted.class);
    }

    @Test
    void forbids_a_valid_token_of_anyone_else_naming_them() throws Exception {
        AuditAccess access = access(withTrustedJwks());

        Access result = access.check("Bearer " + Tokens.sign(Tokens.claims("someone-else")));

        assertThat(result).isInstanceOf(Access.Forbidden.class);
        assertThat(((Access.Forbidden) result).caller().objectId()).isEqualTo("someone-else");
        assertThat(((Access.Forbidden) result).message()).contains("'someone-else'");
    }

    @Test
    void a_missing_header_is_not_an_invalid_token() throws Exception {
        AuditAccess access = access(withTrustedJwks());

        assertThat(access.check(null)).isEqualTo(new Access.Unauthenticated("AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.", false));
        assertThat(access.check("Bearer  ")).isInstanceOf(Access.Unauthenticated.class)
                .extracting("tokenPresented").isEqualTo(false);
        assertThat(access.check("Bearer x.y.z")).isInstanceOf(Access.Unauthenticated.class)
                .extracting("tokenPresented").isEqualTo(true);
    }
}
