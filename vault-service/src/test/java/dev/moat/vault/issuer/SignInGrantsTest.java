package dev.moat.vault.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sign-in flow's grants, verified by the shared token check with the issuer's own key: a code is redeemed once,
 * a refresh token is not a code nor the other way round, and what another key signed or what has expired is refused.
 */
class SignInGrantsTest {

    private static final SignInGrants.Code CODE = new SignInGrants.Code("t1", "client", "https://app/cb", "challenge",
            "alice", "n-0S6", "openid");
    private static final SignInGrants.Refresh REFRESH = new SignInGrants.Refresh("t1", "client", "alice");

    @TempDir
    Path dir;

    private SignInGrants grants(String data) {
        return new SignInGrants(new SigningKey(dir.resolve(data).toString(), Optional.empty()));
    }

    @Test
    void a_code_is_redeemed_once_with_everything_it_stands_for() {
        SignInGrants grants = grants("data");
        String code = grants.code(CODE);

        assertThat(grants.redeemCode(code)).contains(CODE);
        assertThat(grants.redeemCode(code)).as("single use").isEmpty();
    }

    @Test
    void a_refresh_token_is_redeemed_and_is_not_a_code_nor_a_code_a_refresh_token() {
        SignInGrants grants = grants("data");
        String refresh = grants.refresh(REFRESH, Duration.ofHours(1));

        assertThat(grants.redeemRefresh(refresh)).contains(REFRESH);
        assertThat(grants.redeemCode(refresh)).isEmpty();
        assertThat(grants.redeemRefresh(grants.code(CODE))).isEmpty();
    }

    @Test
    void a_grant_of_another_key_an_expired_one_and_no_grant_are_refused() {
        SignInGrants grants = grants("data");
        String foreign = grants("other").refresh(REFRESH, Duration.ofHours(1));
        String expired = grants.refresh(REFRESH, Duration.ofSeconds(-1));

        assertThat(grants.redeemRefresh(foreign)).isEmpty();
        assertThat(grants.redeemRefresh(expired)).isEmpty();
        assertThat(grants.redeemRefresh("not-a-jwt")).isEmpty();
        assertThat(grants.redeemRefresh(null)).isEmpty();
    }
}
