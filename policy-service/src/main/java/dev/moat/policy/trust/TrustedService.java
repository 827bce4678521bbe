package dev.moat.policy.trust;

import java.util.Objects;
import java.util.UUID;

/**
 * A service let through the firewall when a vault allows trusted services.
 *
 * @param name            display name, as in the source document ("Azure Backup")
 * @param applicationId   the application (client) id its tokens carry in {@code appid}/{@code azp}
 * @param scenario        what it is trusted for
 * @param operatorDefined true when an operator added it, false for the built-in catalog
 */
public record TrustedService(String name, UUID applicationId, String scenario, boolean operatorDefined) {

    public TrustedService {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(scenario, "scenario");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a trusted service needs a name");
        }
    }

    /**
     * An operator-defined service, from configuration text.
     *
     * @throws IllegalArgumentException when the application id is not a UUID or the name is blank
     */
    public static TrustedService operatorDefined(String name, String applicationId, String scenario) {
        UUID id;
        try {
            id = UUID.fromString(Objects.requireNonNull(applicationId, "applicationId").strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trusted service '" + name + "': application id '" + applicationId
                    + "' is not a UUID", e);
        }
        return new TrustedService(name, id, scenario == null ? "" : scenario, true);
    }
}
