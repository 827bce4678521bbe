package dev.moat.vault.keys;

import java.util.List;

/**
 * A JWK as Key Vault exchanges it: every byte field base64url without padding. What the service returns holds only
 * the public parts ({@code n}/{@code e}, or {@code crv}/{@code x}/{@code y}); the private parts are read only from an
 * import request. {@link #toString()} never shows them.
 *
 * @param kty {@code RSA} or {@code EC} (the {@code -HSM} types are refused: Moat's keys are software keys)
 * @param keyOps {@code key_ops} as given (validated by {@link KeyOperation#parse}), or null when absent
 */
public record JsonWebKey(String kty, List<String> keyOps, String n, String e, String d, String dp, String dq,
        String qi, String p, String q, String crv, String x, String y) {

    public static JsonWebKey rsaPublic(List<String> keyOps, String n, String e) {
        return new JsonWebKey("RSA", keyOps, n, e, null, null, null, null, null, null, null, null, null);
    }

    public static JsonWebKey ecPublic(List<String> keyOps, String crv, String x, String y) {
        return new JsonWebKey("EC", keyOps, null, null, null, null, null, null, null, null, crv, x, y);
    }

    @Override
    public String toString() {
        return "JsonWebKey[kty=" + kty + ", key_ops=" + keyOps + (crv == null ? "" : ", crv=" + crv)
                + (d == null ? "" : ", private parts redacted") + "]";
    }
}
