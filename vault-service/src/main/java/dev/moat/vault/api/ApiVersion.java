package dev.moat.vault.api;

import java.util.regex.Pattern;

import dev.moat.vault.secrets.SecretsException;

/**
 * The data plane's {@code api-version}: every version the Azure SDKs send, 7.0 to 7.6 (with their {@code -preview.N}
 * forms, which the Python SDK sends) and 2025-07-01 (azure-compat.md section 0). The secrets wire shapes are the same
 * in all of them but for {@code recoverableDays}, which appeared in 7.1.
 */
public record ApiVersion(String value) {

    public static final String LATEST = "2025-07-01";
    private static final Pattern SUPPORTED = Pattern.compile("7\\.[0-6](-preview(\\.[0-9]+)?)?|2025-07-01");

    /** @throws SecretsException 400 {@code BadParameter} naming the value and the versions served */
    public static ApiVersion parse(String value) {
        if (value == null || value.isBlank()) {
            throw SecretsException.badParameter("The api-version query parameter is missing: the data plane serves "
                    + "api-version 7.0 to 7.6 and " + LATEST + " (for example ?api-version=7.5).");
        }
        if (!SUPPORTED.matcher(value).matches()) {
            throw SecretsException.badParameter("The specified version (" + value + ") is not recognized. Consider "
                    + "using the latest supported version (" + LATEST + "); 7.0 to 7.6 are served too.");
        }
        return new ApiVersion(value);
    }

    /** Whether secret attributes carry {@code recoverableDays} (added in 7.1). */
    public boolean hasRecoverableDays() {
        return !value.startsWith("7.0");
    }
}
