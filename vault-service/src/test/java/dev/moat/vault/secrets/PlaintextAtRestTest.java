package dev.moat.vault.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.testing.DecisionEvents;
import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.Sql;
import dev.moat.vault.testing.StoredFiles;
import dev.moat.vault.testing.TestHttps;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * No stored byte sequence holds a secret's plaintext: after values have been set, read, versioned, updated, deleted,
 * recovered, backed up and restored, no file under the data directory (the H2 database, the decision event spool and
 * its checkpoint, keys, certificates) contains any of them, in UTF-8 or UTF-16, while a tag written beside them is
 * found in the database file (so the scan does read the stored data).
 */
@QuarkusTest
class PlaintextAtRestTest implements FreshPolicyService {

    private static final String VAULT = "atrestvault";

    @Inject
    AgroalDataSource dataSource;

    private static RequestSpecification alice() {
        return Vaults.as(VAULT, Tokens.ALICE, "7.5");
    }

    private static List<Path> filesContaining(String text, Charset... charsets) throws Exception {
        return StoredFiles.containing(Arrays.stream(charsets).map(text::getBytes).toArray(byte[][]::new));
    }

    @Test
    void no_file_under_the_data_directory_holds_a_secret_value() throws Exception {
        Vaults.put(VAULT, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "all")));
        String canary = UUID.randomUUID().toString();
        List<String> values = List.of("first-" + canary, "second-" + canary, "long-" + canary + "x".repeat(20_000),
                "unicode-" + canary + "-ünïcødé-€");
        String tag = "tag-" + canary;

        for (String value : values) {
            alice().contentType(ContentType.JSON).body("{\"value\":\"" + value + "\",\"tags\":{\"t\":\"" + tag + "\"}}")
                    .when().put("/secrets/at-rest").then().statusCode(200);
        }
        alice().when().get("/secrets/at-rest").then().statusCode(200).body("value", equalTo(values.get(3)));
        alice().contentType(ContentType.JSON).body("{\"contentType\":\"text/plain\"}").when().patch("/secrets/at-rest")
                .then().statusCode(200);
        String blob = alice().when().post("/secrets/at-rest/backup").then().statusCode(200).extract().path("value");
        alice().when().delete("/secrets/at-rest").then().statusCode(200);
        alice().when().post("/deletedsecrets/at-rest/recover").then().statusCode(200);
        alice().contentType(ContentType.JSON).body("{\"value\":\"" + values.get(0) + "\"}").when().put("/secrets/copy")
                .then().statusCode(200);
        alice().when().delete("/secrets/copy").then().statusCode(200);
        alice().when().delete("/deletedsecrets/copy").then().statusCode(204);
        String restoreVault = "atrestrestored";
        Vaults.put(restoreVault, Vaults.body(Vaults.secretsPolicy(Tokens.ALICE, "all")));
        Vaults.as(restoreVault, Tokens.ALICE, "7.5").contentType(ContentType.JSON).body("{\"value\":\"" + blob + "\"}")
                .when().post("/secrets/restore").then().statusCode(200);
        String lastId = alice().when().get("/secrets/at-rest").then().statusCode(200)
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        DecisionEvents.await(lastId);
        Sql.execute(dataSource, "CHECKPOINT SYNC");

        assertThat(StoredFiles.all()).extracting(p -> p.getFileName().toString())
                .contains("vault.mv.db", "master.key", "checkpoint")
                .anyMatch(n -> n.startsWith("segment-"));
        assertThat(filesContaining(tag, StandardCharsets.UTF_8))
                .as("the tag, stored in clear beside the values, is found: the scan reads the stored data")
                .anyMatch(p -> p.getFileName().toString().equals("vault.mv.db"));
        for (String value : values) {
            assertThat(filesContaining(value.substring(0, Math.min(60, value.length())), StandardCharsets.UTF_8,
                    StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)).as("files holding a secret value").isEmpty();
        }
        assertThat(filesContaining(canary, StandardCharsets.UTF_8).stream()
                .filter(p -> !p.getFileName().toString().equals("vault.mv.db")).toList())
                .as("outside the database even the tag's canary appears nowhere").isEmpty();
        Path masterKey = TestHttps.DATA_DIR.resolve("vault").resolve("crypto").resolve("master.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(masterKey))).isEqualTo("rw-------");
    }
}
