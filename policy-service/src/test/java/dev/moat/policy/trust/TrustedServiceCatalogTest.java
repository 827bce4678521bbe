package dev.moat.policy.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TrustedServiceCatalogTest {

    @Test
    void lists_the_18_trusted_services_of_the_source_document_in_its_order() {
        assertThat(TrustedServiceCatalog.defaults().services()).extracting(TrustedService::name).containsExactly(
                "Azure Virtual Machines deployment service",
                "Azure Resource Manager template deployment service",
                "Azure Application Gateway v2 SKU",
                "Azure Disk Encryption volume encryption service",
                "Azure Backup",
                "Exchange Online & SharePoint Online",
                "Exchange Online & SharePoint Online",
                "Azure Information Protection",
                "Azure App Service",
                "Azure SQL Database",
                "Azure Storage",
                "Azure Data Lake Store",
                "Azure Databricks",
                "Azure API Management",
                "Azure Data Factory",
                "Azure Event Hubs",
                "Azure Service Bus",
                "Azure Import/Export",
                "Azure Container Registry");
        assertThat(TrustedServiceCatalog.defaults().services())
                .allSatisfy(s -> assertThat(s.scenario()).isNotBlank())
                .noneMatch(TrustedService::operatorDefined)
                .extracting(TrustedService::applicationId).doesNotHaveDuplicates();
    }

    @Test
    void exchange_online_and_sharepoint_online_each_pass_under_their_own_application_id() {
        TrustedServiceCatalog catalog = TrustedServiceCatalog.defaults();

        assertThat(catalog.find("00000002-0000-0ff1-ce00-000000000000")).map(TrustedService::name)
                .contains("Exchange Online & SharePoint Online");
        assertThat(catalog.find("00000003-0000-0ff1-ce00-000000000000")).map(TrustedService::name)
                .contains("Exchange Online & SharePoint Online");
        assertThat(catalog.services()).hasSize(19);
        assertThat(catalog.services().stream().map(TrustedService::name).distinct()).hasSize(18);
    }

    @Test
    void derives_the_generated_application_ids_from_the_service_names() {
        for (String name : List.of("Azure Virtual Machines deployment service", "Azure Application Gateway v2 SKU",
                "Azure Disk Encryption volume encryption service")) {
            UUID expected = UUID.nameUUIDFromBytes(("moat:trusted-service:" + name).getBytes(StandardCharsets.UTF_8));
            assertThat(TrustedServiceCatalog.defaults().find(expected.toString())).map(TrustedService::name).contains(name);
        }
    }

    @Test
    void finds_a_service_by_application_id_in_any_case() {
        TrustedServiceCatalog catalog = TrustedServiceCatalog.defaults();

        assertThat(catalog.find("262044B1-E2CE-469F-A196-69AB7ADA62D3")).map(TrustedService::name).contains("Azure Backup");
        assertThat(catalog.find("00000000-0000-0000-0000-000000000000")).isEmpty();
        assertThat(catalog.find("not-a-uuid")).isEmpty();
        assertThat(catalog.find(null)).isEmpty();
    }

    @Test
    void adds_operator_services_after_the_built_in_ones() {
        TrustedService batch = TrustedService.operatorDefined("Azure Batch",
                "ddbf3205-c6bd-46ae-8127-60eb93363864", "Pool encryption keys");

        TrustedServiceCatalog catalog = TrustedServiceCatalog.defaultsPlus(List.of(batch));

        assertThat(catalog.services()).hasSize(20).last().isEqualTo(batch);
        assertThat(catalog.find("ddbf3205-c6bd-46ae-8127-60eb93363864")).map(TrustedService::operatorDefined).contains(true);
    }

    @Test
    void refuses_an_operator_service_whose_application_id_is_taken() {
        TrustedService impostor = TrustedService.operatorDefined("My backup", "262044b1-e2ce-469f-a196-69ab7ada62d3", "");

        assertThatThrownBy(() -> TrustedServiceCatalog.defaultsPlus(List.of(impostor)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Azure Backup").hasMessageContaining("My backup")
                .hasMessageContaining("262044b1-e2ce-469f-a196-69ab7ada62d3");
        assertThatThrownBy(() -> TrustedService.operatorDefined("Broken", "nope", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
    }
}
