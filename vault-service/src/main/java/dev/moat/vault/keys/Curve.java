package dev.moat.vault.keys;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.stream.Collectors;

import dev.moat.vault.objects.VaultObjectException;

/** The elliptic curves of Key Vault's software keys, with their JCA names and coordinate sizes. */
public enum Curve {
    P_256("P-256", "secp256r1"),
    P_384("P-384", "secp384r1"),
    P_521("P-521", "secp521r1");

    private final String jwkName;
    private final ECParameterSpec parameters;

    /** @param jcaName the JDK's name of the curve, whose parameters (every JDK has these three) are read once, here */
    Curve(String jwkName, String jcaName) {
        this.jwkName = jwkName;
        try {
            AlgorithmParameters algorithm = AlgorithmParameters.getInstance("EC");
            algorithm.init(new ECGenParameterSpec(jcaName));
            this.parameters = algorithm.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK does not know " + jwkName, e);
        }
    }

    /** The JWK {@code crv}, for example {@code P-256}. */
    public String jwkName() {
        return jwkName;
    }

    /**
     * Length of {@code x}, {@code y} and {@code d}, and of each half of a raw {@code r||s} signature: the field size in
     * whole bytes (32, 48, and 66 for P-521), taken from the JDK's parameters rather than written down beside them.
     */
    public int coordinateBytes() {
        return (parameters().getCurve().getField().getFieldSize() + Byte.SIZE - 1) / Byte.SIZE;
    }

    /** @throws VaultObjectException 400 naming the curve when it is not one of these (P-256K included: not offered) */
    public static Curve of(String crv) {
        return KeyRules.named(values(), Curve::jwkName, crv).orElseThrow(() -> VaultObjectException.badParameter(
                "crv '" + KeyRules.shown(crv) + "' is not supported: an EC key uses one of " + names() + "."));
    }

    /**
     * The curve of a JCA key's parameters: the field, coefficients, generator and order must be those of P-256, P-384
     * or P-521 (another curve of the same size, such as secp256k1 or brainpoolP256r1, is refused).
     */
    static Curve of(ECParameterSpec params) {
        for (Curve c : values()) {
            ECParameterSpec known = c.parameters();
            if (known.getCurve().equals(params.getCurve()) && known.getGenerator().equals(params.getGenerator())
                    && known.getOrder().equals(params.getOrder())) {
                return c;
            }
        }
        throw VaultObjectException.badParameter("an EC key on a " + params.getCurve().getField().getFieldSize() + "-bit curve "
                + "other than " + names() + " is not supported.");
    }

    /** The JCA parameters of this curve. */
    ECParameterSpec parameters() {
        return parameters;
    }

    static String names() {
        return Arrays.stream(values()).map(Curve::jwkName).collect(Collectors.joining(", "));
    }
}
