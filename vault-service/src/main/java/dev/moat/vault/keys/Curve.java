package dev.moat.vault.keys;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The elliptic curves of Key Vault's software keys, with their JCA names and coordinate sizes. */
public enum Curve {
    P_256("P-256", "secp256r1", 32),
    P_384("P-384", "secp384r1", 48),
    P_521("P-521", "secp521r1", 66);

    private final String jwkName;
    private final String jcaName;
    private final int coordinateBytes;

    Curve(String jwkName, String jcaName, int coordinateBytes) {
        this.jwkName = jwkName;
        this.jcaName = jcaName;
        this.coordinateBytes = coordinateBytes;
    }

    /** The JWK {@code crv}, for example {@code P-256}. */
    public String jwkName() {
        return jwkName;
    }

    public String jcaName() {
        return jcaName;
    }

    /** Length of {@code x}, {@code y} and {@code d}, and of each half of a raw {@code r||s} signature. */
    public int coordinateBytes() {
        return coordinateBytes;
    }

    /** @throws KeysException 400 naming the curve when it is not one of these (P-256K included: not offered) */
    public static Curve of(String crv) {
        for (Curve c : values()) {
            if (c.jwkName.equals(crv)) {
                return c;
            }
        }
        throw KeysException.badParameter("crv '" + KeyRules.shown(crv) + "' is not supported: an EC key uses one of "
                + names() + ".");
    }

    /** The curve of a JCA key's field size. */
    static Curve ofFieldSize(int bits) {
        return switch (bits) {
            case 256 -> P_256;
            case 384 -> P_384;
            case 521 -> P_521;
            default -> throw KeysException.badParameter("an EC key on a " + bits + "-bit curve is not supported: an EC "
                    + "key uses one of " + names() + ".");
        };
    }

    static String names() {
        return Arrays.stream(values()).map(Curve::jwkName).collect(Collectors.joining(", "));
    }
}
