package dev.moat.policy.trust;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The services that pass the firewall of a vault whose {@code bypass} is {@code AzureServices}, by application id.
 * Immutable.
 */
public final class TrustedServiceCatalog {

    /**
     * The 18 services of the source document, in its order (19 application ids: see below).
     *
     * <p>Application ids: where Azure's first-party application for the service is well known, its real id is
     * used, so that tokens issued by Entra ID for that service are recognised unchanged. Three rows have no
     * single well-known first-party application (the VM deployment, Disk Encryption and Application Gateway
     * services act through platform identities); for them Moat uses a stable, generated id,
     * {@code UUID.nameUUIDFromBytes("moat:trusted-service:" + name)} (a name-based version 3 UUID, reproducible
     * from the name), and marks it below. An operator who runs such a service locally issues its tokens with that
     * id, or adds the real one as an operator entry.
     *
     * <p>The "Exchange Online &amp; SharePoint Online" row of the source document is two applications, so it is
     * listed twice under the one name: Office 365 Exchange Online's id and SharePoint Online's
     * ({@code 00000003-0000-0ff1-ce00-000000000000}).
     */
    private static final List<TrustedService> SOURCE_DOCUMENT = List.of(
            builtIn("Azure Virtual Machines deployment service", "bda547a4-01c1-3af9-a11d-d84b30e6d0a0", // generated
                    "Deploy certificates to virtual machines from a customer-managed vault."),
            builtIn("Azure Resource Manager template deployment service", "797f4846-ba00-4fd7-ba43-dac1f8f63013",
                    "Pass secure values to a template during deployment."),
            builtIn("Azure Application Gateway v2 SKU", "93f02dab-9f4a-332e-8bc0-bfa1c7fc9490", // generated
                    "Terminate TLS with certificates kept in the vault."),
            builtIn("Azure Disk Encryption volume encryption service", "b53a691e-d5da-30db-8143-a5cba91da5d7", // generated
                    "Read the BitLocker key (Windows) or DM passphrase (Linux) and the key encryption key while a virtual"
                            + " machine is deployed, enabling Azure Disk Encryption."),
            builtIn("Azure Backup", "262044b1-e2ce-469f-a196-69ab7ada62d3",
                    "Back up and restore the relevant keys and secrets while backing up virtual machines."),
            builtIn("Exchange Online & SharePoint Online", "00000002-0000-0ff1-ce00-000000000000",
                    "Reach the customer key for Storage Service Encryption with Customer Key."),
            builtIn("Exchange Online & SharePoint Online", "00000003-0000-0ff1-ce00-000000000000",
                    "Reach the customer key for Storage Service Encryption with Customer Key."),
            builtIn("Azure Information Protection", "00000012-0000-0000-c000-000000000000",
                    "Reach the tenant key of Azure Information Protection."),
            builtIn("Azure App Service", "abfa0a7c-a6b6-4736-8310-5855508787cd",
                    "Deploy a web app certificate through the vault."),
            builtIn("Azure SQL Database", "022907d3-0f1b-48f7-badc-1ba6abab6d66",
                    "Transparent Data Encryption with a customer-managed key, for SQL Database and Data Warehouse."),
            builtIn("Azure Storage", "e406a681-f3d4-42a8-90b6-c2b029497af1",
                    "Storage Service Encryption with customer-managed keys kept in the vault."),
            builtIn("Azure Data Lake Store", "e9f49c6b-5ce5-44c8-925d-015017e9f7ad",
                    "Encrypt Data Lake Store data with a customer-managed key."),
            builtIn("Azure Databricks", "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d",
                    "The Apache Spark analytics service reaching secrets it is configured with."),
            builtIn("Azure API Management", "8602e328-9b72-4f2d-a4ae-1387d013a2b3",
                    "Deploy custom-domain certificates from the vault using a managed identity."),
            builtIn("Azure Data Factory", "0947a342-ab4a-43be-93b3-b8243fc161e5",
                    "Fetch data store credentials kept in the vault."),
            builtIn("Azure Event Hubs", "80369ed6-5f11-4dd9-bef3-692475845e77",
                    "Reach the vault for the customer-managed keys scenario."),
            builtIn("Azure Service Bus", "80a10ef9-8168-493d-abf9-3297c4ef6e3c",
                    "Reach the vault for the customer-managed keys scenario."),
            builtIn("Azure Import/Export", "7de4d5c5-5b32-4235-b8a9-33b34d6bcd2a",
                    "Use customer-managed keys kept in the vault for Import/Export jobs."),
            builtIn("Azure Container Registry", "6a0ec4d3-30cb-4a83-91c0-ae56bc0e3d26",
                    "Encrypt a registry with customer-managed keys."));

    private static final TrustedServiceCatalog DEFAULTS = of(SOURCE_DOCUMENT);

    // Keyed by the lower-case canonical UUID text, so a lookup by the token's claim needs no UUID parsing.
    private final Map<String, TrustedService> byApplicationId;

    private TrustedServiceCatalog(Map<String, TrustedService> byApplicationId) {
        this.byApplicationId = byApplicationId;
    }

    /** The source document's 18 services. */
    public static TrustedServiceCatalog defaults() {
        return DEFAULTS;
    }

    /**
     * The source document's services plus operator additions (each marked operator-defined).
     *
     * @throws IllegalArgumentException when two entries share an application id, naming both
     */
    public static TrustedServiceCatalog defaultsPlus(Collection<TrustedService> additions) {
        List<TrustedService> all = new ArrayList<>(SOURCE_DOCUMENT);
        additions.forEach(s -> all.add(new TrustedService(s.name(), s.applicationId(), s.scenario(), true)));
        return of(all);
    }

    /**
     * Exactly these services.
     *
     * @throws IllegalArgumentException when two entries share an application id, naming both
     */
    public static TrustedServiceCatalog of(Collection<TrustedService> services) {
        Map<String, TrustedService> byId = new LinkedHashMap<>();
        for (TrustedService service : services) {
            TrustedService previous = byId.putIfAbsent(key(service.applicationId()), service);
            if (previous != null) {
                throw new IllegalArgumentException("trusted services '" + previous.name() + "' and '" + service.name()
                        + "' have the same application id " + service.applicationId());
            }
        }
        return new TrustedServiceCatalog(Collections.unmodifiableMap(byId));
    }

    /** The service whose application id this is (case-insensitive UUID text, as in a token's {@code appid}). */
    public Optional<TrustedService> find(String applicationId) {
        return applicationId == null ? Optional.empty()
                : Optional.ofNullable(byApplicationId.get(applicationId.strip().toLowerCase(Locale.ROOT)));
    }

    /** Every service: the built-in ones in the source document's order, then operator additions. */
    public List<TrustedService> services() {
        return List.copyOf(byApplicationId.values());
    }

    private static String key(UUID applicationId) {
        return applicationId.toString(); // UUID.toString is lower case
    }

    private static TrustedService builtIn(String name, String applicationId, String scenario) {
        return new TrustedService(name, UUID.fromString(applicationId), scenario, false);
    }
}
