package dev.moat.vault.secrets;

/**
 * A secrets operation refused by a rule, with what Key Vault answers for it: the HTTP status, the error code, a
 * message naming the offending value (never a secret's value) and the rule, and the optional inner error code.
 */
public final class SecretsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String innerCode;

    private SecretsException(int status, String code, String message, String innerCode) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.innerCode = innerCode;
    }

    public static SecretsException badParameter(String message) {
        return new SecretsException(400, "BadParameter", message, null);
    }

    public static SecretsException forbidden(String message, String innerCode) {
        return new SecretsException(403, "Forbidden", message, innerCode);
    }

    public static SecretsException notFound(String message) {
        return new SecretsException(404, "SecretNotFound", message, null);
    }

    public static SecretsException conflict(String message, String innerCode) {
        return new SecretsException(409, "Conflict", message, innerCode);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The {@code innererror.code}, or null. */
    public String innerCode() {
        return innerCode;
    }
}
