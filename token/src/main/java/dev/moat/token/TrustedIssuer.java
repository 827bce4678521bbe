package dev.moat.token;

/**
 * An issuer whose tokens are accepted, and the keys that vouch for it: each key only vouches for its own issuer.
 *
 * @param name how operators and logs call it
 * @param issuer the expected {@code iss}; {@value #TENANT} in it stands for the token's {@code tid} (as in
 *        {@code https://login.microsoftonline.com/{tenant}/v2.0}), which must then be present
 * @param keys its signing keys; compared by identity, so keep one instance per issuer
 */
public record TrustedIssuer(String name, String issuer, KeySet keys) {

    public static final String TENANT = "{tenant}";

    /** Whether a token with this {@code iss} and {@code tid} (either may be null) claims to come from this issuer. */
    public boolean issued(String iss, String tid) {
        if (iss == null) {
            return false;
        }
        if (issuer.contains(TENANT)) {
            return tid != null && !tid.isBlank() && iss.equals(issuer.replace(TENANT, tid));
        }
        return iss.equals(issuer);
    }
}
