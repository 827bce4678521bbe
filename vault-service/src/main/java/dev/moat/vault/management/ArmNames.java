package dev.moat.vault.management;

import java.util.regex.Pattern;

/**
 * The name rules of the ARM path segments, checked before anything else so that a bad name is a 400 naming it.
 * Subscriptions accept any ARM-safe token (Azure requires a GUID; a self-hosted deployment may use readable names),
 * as policy-service does.
 */
final class ArmNames {

    private static final Pattern SUBSCRIPTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w.()]{0,89}[-\\w()]");
    private static final Pattern VAULT = Pattern.compile("[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]");
    private static final Pattern VIRTUAL_NETWORK = Pattern.compile("[A-Za-z0-9](?:[\\w.-]{0,62}\\w)?");
    static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");

    private ArmNames() {
    }

    static void apiVersion(String value) {
        if (value == null || value.isBlank()) {
            throw ArmException.badRequest("MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.");
        }
        if (!API_VERSION.matcher(value).matches()) {
            throw ArmException.badRequest("InvalidApiVersionParameter", "The api-version '" + value
                    + "' is invalid. The supported versions look like '2023-02-01'.");
        }
    }

    static void subscription(String value) {
        if (!SUBSCRIPTION.matcher(value).matches()) {
            throw ArmException.badRequest("InvalidSubscriptionId", "The provided subscription identifier '" + value
                    + "' is malformed or invalid.");
        }
    }

    static void resourceGroup(String value) {
        if (!RESOURCE_GROUP.matcher(value).matches()) {
            throw ArmException.badRequest("InvalidResourceGroup", "The provided resource group name '" + value
                    + "' has these invalid characters or length: a resource group name is 1-90 letters, digits, "
                    + "'_', '-', '.', '(' and ')', and does not end with '.'.");
        }
    }

    static void vault(String value) {
        if (!VAULT.matcher(value).matches()) {
            throw ArmException.badRequest("VaultNameNotValid", "The vault name '" + value + "' is invalid. A vault's "
                    + "name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with "
                    + "a letter or digit, and not contain consecutive hyphens.");
        }
    }

    static void virtualNetwork(String value) {
        if (!VIRTUAL_NETWORK.matcher(value).matches()) {
            throw ArmException.badRequest("InvalidResourceName", "The virtual network name '" + value + "' is "
                    + "invalid: 1-64 letters, digits, '_', '.', '-', starting with a letter or digit and ending with a "
                    + "letter, digit or '_'.");
        }
    }
}
