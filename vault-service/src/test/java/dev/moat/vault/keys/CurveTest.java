package dev.moat.vault.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CurveTest {

    /** The sizes the JWK coordinates and raw ECDSA signatures must have (RFC 7518 section 6.2.1.2). */
    @ParameterizedTest
    @CsvSource({"P-256, P_256, 32", "P-384, P_384, 48", "P-521, P_521, 66"})
    void each_curve_is_found_by_its_jwk_name_with_its_coordinate_size(String crv, Curve curve, int coordinateBytes) {
        assertThat(Curve.of(crv)).isEqualTo(curve);
        assertThat(curve.coordinateBytes()).isEqualTo(coordinateBytes);
    }
}
