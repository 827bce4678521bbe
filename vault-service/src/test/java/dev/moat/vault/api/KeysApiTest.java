package dev.moat.vault.api;

import static dev.moat.vault.testing.Refusals.badParameter;
import static dev.moat.vault.testing.Refusals.notFound;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.moat.proto.events.v1.DecisionEvent;
import dev.moat.proto.events.v1.Layer;
import dev.moat.proto.events.v1.Result;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.testing.DecisionEvents;
import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Every keys operation over HTTPS as Key Vault answers it (azure-compat.md section 5.2), with its errors. */
@QuarkusTest
class KeysApiTest implements FreshPolicyService {

    static final String VAULT = "keysapi";
    private static final String VERSION_ID = "[0-9a-f]{32}";
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();
    private static final Base64.Encoder TO_B64URL = Base64.getUrlEncoder().withoutPadding();

    @BeforeEach
    void vaultWhereAliceHoldsEveryKeyPermission() {
        Vaults.put(VAULT, Vaults.body(Vaults.policy(Tokens.ALICE, "keys", "all")));
    }

    static RequestSpecification alice(String vault) {
        return Vaults.as(vault, Tokens.ALICE, "7.5")
                // as the SDK sends it: rest-assured would otherwise re-encode the empty segment of /keys/{name}//sign
                .urlEncodingEnabled(false);
    }

    static String base(String vault) {
        return "https://" + Vaults.host(vault);
    }

    static JsonPath create(String vault, String name, String body) {
        return alice(vault).contentType(ContentType.JSON).body(body).when().post("/keys/" + name + "/create")
                .then().statusCode(200).extract().jsonPath();
    }

    static String versionOf(String kid) {
        return kid.substring(kid.lastIndexOf('/') + 1);
    }

    static String b64url(byte[] bytes) {
        return TO_B64URL.encodeToString(bytes);
    }

    // ---- create, get, list ----

    @ParameterizedTest
    @ValueSource(ints = {2048, 3072, 4096})
    void creating_an_rsa_key_answers_its_public_jwk_with_the_full_kid(int size) {
        long before = Instant.now().getEpochSecond();
        alice(VAULT).contentType(ContentType.JSON)
                .body("{\"kty\":\"RSA\",\"key_size\":" + size + ",\"public_exponent\":0,\"attributes\":{},"
                        + "\"tags\":{\"env\":\"prod\"}}")
                .when().post("/keys/rsa-" + size + "/create")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("key.kid", matchesPattern(base(VAULT) + "/keys/rsa-" + size + "/" + VERSION_ID))
                .body("key.kty", equalTo("RSA"))
                .body("key.key_ops", equalTo(List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey")))
                .body("key.e", equalTo("AQAB"))
                .body("key.n", not(containsString("=")))
                .body("key", not(hasKey("d"))).body("key", not(hasKey("p"))).body("key", not(hasKey("q")))
                .body("key", not(hasKey("dp"))).body("key", not(hasKey("dq"))).body("key", not(hasKey("qi")))
                .body("attributes.enabled", equalTo(true))
                .body("attributes.created", org.hamcrest.Matchers.greaterThanOrEqualTo((int) before))
                .body("attributes.recoveryLevel", equalTo("Recoverable+Purgeable"))
                .body("attributes.recoverableDays", equalTo(90))
                .body("tags.env", equalTo("prod"));
        String n = alice(VAULT).when().get("/keys/rsa-" + size).then().statusCode(200).extract().path("key.n");
        assertThat(B64URL.decode(n)).hasSize(size / 8);
    }

    @ParameterizedTest
    @CsvSource({"P-256,32", "P-384,48", "P-521,66"})
    void creating_an_ec_key_answers_fixed_length_coordinates(String curve, int length) {
        JsonPath key = create(VAULT, "ec-" + length, "{\"kty\":\"EC\",\"crv\":\"" + curve + "\",\"attributes\":{}}");
        assertThat(key.getString("key.kty")).isEqualTo("EC");
        assertThat(key.getString("key.crv")).isEqualTo(curve);
        assertThat(key.getList("key.key_ops")).containsExactly("sign", "verify");
        assertThat(B64URL.decode(key.getString("key.x"))).hasSize(length);
        assertThat(B64URL.decode(key.getString("key.y"))).hasSize(length);
        assertThat(key.getMap("key")).doesNotContainKey("d").doesNotContainKey("n");
    }

    @Test
    void get_answers_the_latest_version_with_or_without_a_trailing_slash_and_any_version_by_id() {
        String first = create(VAULT, "versioned", "{\"kty\":\"EC\"}").getString("key.kid");
        String second = create(VAULT, "versioned", "{\"kty\":\"EC\",\"crv\":\"P-384\"}").getString("key.kid");

        alice(VAULT).when().get("/keys/versioned").then().statusCode(200).body("key.kid", equalTo(second));
        alice(VAULT).when().get("/keys/versioned/").then().statusCode(200).body("key.kid", equalTo(second));
        alice(VAULT).when().get("/keys/VERSIONED/" + versionOf(first)).then().statusCode(200)
                .body("key.kid", equalTo(first)).body("key.crv", equalTo("P-256"));

        List<String> kids = alice(VAULT).when().get("/keys/versioned/versions").then().statusCode(200)
                .body("nextLink", nullValue()).extract().path("value.kid");
        assertThat(kids).containsExactly(first, second);
    }

    @Test
    void list_pages_with_a_next_link_that_carries_the_api_version() {
        Vaults.put("keyslist", Vaults.body(Vaults.policy(Tokens.ALICE, "keys", "all")));
        for (String name : List.of("k-a", "k-b", "k-c")) {
            create("keyslist", name, "{\"kty\":\"EC\"}");
        }
        List<String> kids = new ArrayList<>();
        String next = alice("keyslist").queryParam("maxresults", 2).when().get("/keys").then().statusCode(200)
                .body("value[0]", hasKey("attributes")).body("value[0]", not(hasKey("key")))
                .extract().path("nextLink");
        kids.addAll(alice("keyslist").queryParam("maxresults", 2).when().get("/keys").then().extract().path("value.kid"));
        assertThat(next).startsWith(base("keyslist") + "/keys?api-version=7.5&$skiptoken=");
        URI uri = URI.create(next);
        kids.addAll(Vaults.as("keyslist", Tokens.ALICE).urlEncodingEnabled(false)
                .when().get(uri.getRawPath() + "?" + uri.getRawQuery()).then().statusCode(200)
                .body("nextLink", nullValue()).extract().path("value.kid"));
        assertThat(kids).containsExactly(base("keyslist") + "/keys/k-a", base("keyslist") + "/keys/k-b",
                base("keyslist") + "/keys/k-c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "2025-07-01"})
    void every_api_version_the_sdks_send_is_served(String apiVersion) {
        create(VAULT, "any-version", "{\"kty\":\"EC\"}");
        Vaults.as(VAULT, Tokens.ALICE)
                .queryParam("api-version", apiVersion)
                .when().get("/keys/any-version/").then().statusCode(200).body("key.kty", equalTo("EC"));
    }

    @Test
    void an_unknown_or_missing_api_version_is_a_400_naming_it() {
        Vaults.as(VAULT, Tokens.ALICE, "7.9").when().get("/keys/anything").then().statusCode(400)
                .body("error.code", equalTo("BadParameter")).body("error.message", containsString("7.9"));
        Vaults.as(VAULT, Tokens.ALICE)
                .when().get("/keys").then().statusCode(400).body("error.message", containsString("api-version"));
    }

    // ---- import ----

    @Test
    void an_imported_rsa_key_keeps_its_public_key_and_never_returns_the_private_one() throws Exception {
        KeyPair pair = rsaPair();
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey) pair.getPrivate();
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("key", rsaJwk(priv, List.of("sign", "verify")),
                "attributes", Map.of("enabled", true), "tags", Map.of("origin", "hsm-export")))
                .when().put("/keys/imported-rsa")
                .then().statusCode(200)
                .body("key.kid", matchesPattern(base(VAULT) + "/keys/imported-rsa/" + VERSION_ID))
                .body("key.n", equalTo(b64url(unsigned(priv.getModulus()))))
                .body("key.key_ops", equalTo(List.of("sign", "verify")))
                .body("key", not(hasKey("d"))).body("key", not(hasKey("p")))
                .body("tags.origin", equalTo("hsm-export"));

        byte[] digest = MessageDigest.getInstance("SHA-256").digest("imported".getBytes(StandardCharsets.UTF_8));
        String signature = alice(VAULT).contentType(ContentType.JSON)
                .body(Map.of("alg", "RS256", "value", b64url(digest)))
                .when().post("/keys/imported-rsa//sign").then().statusCode(200).extract().path("value");
        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initVerify(pair.getPublic());
        jdk.update("imported".getBytes(StandardCharsets.UTF_8));
        assertThat(jdk.verify(B64URL.decode(signature))).isTrue();
    }

    @Test
    void an_imported_ec_key_signs_what_the_jdk_verifies() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair pair = generator.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        Map<String, Object> jwk = Map.of("kty", "EC", "crv", "P-384",
                "x", b64url(fixed(pub.getW().getAffineX(), 48)), "y", b64url(fixed(pub.getW().getAffineY(), 48)),
                "d", b64url(fixed(((ECPrivateKey) pair.getPrivate()).getS(), 48)));
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("key", jwk)).when().put("/keys/imported-ec")
                .then().statusCode(200).body("key.crv", equalTo("P-384")).body("key", not(hasKey("d")))
                .body("key.key_ops", equalTo(List.of("sign", "verify")));

        byte[] digest = MessageDigest.getInstance("SHA-384").digest("ec".getBytes(StandardCharsets.UTF_8));
        byte[] raw = B64URL.decode(alice(VAULT).contentType(ContentType.JSON)
                .body(Map.of("alg", "ES384", "value", b64url(digest)))
                .when().post("/keys/imported-ec//sign").then().statusCode(200).extract().<String>path("value"));
        assertThat(raw).hasSize(96);
        Signature jdk = Signature.getInstance("SHA384withECDSAinP1363Format");
        jdk.initVerify(pub);
        jdk.update("ec".getBytes(StandardCharsets.UTF_8));
        assertThat(jdk.verify(raw)).isTrue();
    }

    // ---- cryptography ----

    @Test
    void values_the_jdk_encrypts_with_the_public_jwk_are_decrypted_and_unwrapped_by_the_server() throws Exception {
        JsonPath key = create(VAULT, "cipher", "{\"kty\":\"RSA\",\"key_size\":2048}");
        PublicKey pub = rsaPublic(key);
        byte[] secret = "a data encryption key".getBytes(StandardCharsets.UTF_8);
        Map<String, OAEPParameterSpec> algorithms = Map.of(
                "RSA1_5", new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT),
                "RSA-OAEP", new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT),
                "RSA-OAEP-256", new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                        PSource.PSpecified.DEFAULT));
        for (var alg : algorithms.entrySet()) {
            Cipher cipher = Cipher.getInstance(alg.getKey().equals("RSA1_5") ? "RSA/ECB/PKCS1Padding"
                    : "RSA/ECB/OAEPPadding");
            if (alg.getKey().equals("RSA1_5")) {
                cipher.init(Cipher.ENCRYPT_MODE, pub);
            } else {
                cipher.init(Cipher.ENCRYPT_MODE, pub, alg.getValue());
            }
            String ciphertext = b64url(cipher.doFinal(secret));
            for (String op : List.of("decrypt", "unwrapkey")) {
                alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", alg.getKey(), "value", ciphertext))
                        .when().post("/keys/cipher/" + versionOf(key.getString("key.kid")) + "/" + op)
                        .then().statusCode(200)
                        .body("kid", equalTo(key.getString("key.kid")))
                        .body("value", equalTo(b64url(secret)));
            }
        }
    }

    @Test
    void the_server_encrypts_and_wraps_what_it_then_decrypts() {
        create(VAULT, "roundtrip", "{\"kty\":\"RSA\"}");
        for (String[] ops : new String[][] {{"encrypt", "decrypt"}, {"wrapkey", "unwrapkey"}}) {
            String ciphertext = alice(VAULT).contentType(ContentType.JSON)
                    .body(Map.of("alg", "RSA-OAEP-256", "value", b64url(new byte[32])))
                    .when().post("/keys/roundtrip//" + ops[0]).then().statusCode(200)
                    .body("kid", matchesPattern(base(VAULT) + "/keys/roundtrip/" + VERSION_ID))
                    .extract().path("value");
            assertThat(B64URL.decode(ciphertext)).hasSize(256);
            alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", "RSA-OAEP-256", "value", ciphertext))
                    .when().post("/keys/roundtrip//" + ops[1]).then().statusCode(200)
                    .body("value", equalTo(b64url(new byte[32])));
        }
    }

    @ParameterizedTest
    @CsvSource({"RSA,RS256,SHA-256", "RSA,RS384,SHA-384", "RSA,RS512,SHA-512", "RSA,PS256,SHA-256",
            "RSA,PS384,SHA-384", "RSA,PS512,SHA-512", "P-256,ES256,SHA-256", "P-384,ES384,SHA-384",
            "P-521,ES512,SHA-512"})
    void server_signatures_verify_locally_and_on_the_server(String type, String alg, String hash) throws Exception {
        String name = "sign-" + alg.toLowerCase();
        JsonPath key = create(VAULT, name, type.equals("RSA") ? "{\"kty\":\"RSA\"}"
                : "{\"kty\":\"EC\",\"crv\":\"" + type + "\"}");
        byte[] message = ("message for " + alg).getBytes(StandardCharsets.UTF_8);
        byte[] digest = MessageDigest.getInstance(hash).digest(message);

        String signature = alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", alg, "value", b64url(digest)))
                .when().post("/keys/" + name + "//sign").then().statusCode(200)
                .body("kid", equalTo(key.getString("key.kid"))).extract().path("value");

        Signature jdk = jdkSignature(alg, hash);
        jdk.initVerify(type.equals("RSA") ? rsaPublic(key) : ecPublic(key));
        jdk.update(message);
        assertThat(jdk.verify(B64URL.decode(signature))).isTrue();
        alice(VAULT).contentType(ContentType.JSON)
                .body(Map.of("alg", alg, "digest", b64url(digest), "value", signature))
                .when().post("/keys/" + name + "/" + versionOf(key.getString("key.kid")) + "/verify")
                .then().statusCode(200).body("value", equalTo(true));
        digest[0] ^= 1;
        alice(VAULT).contentType(ContentType.JSON)
                .body(Map.of("alg", alg, "digest", b64url(digest), "value", signature))
                .when().post("/keys/" + name + "//verify").then().statusCode(200).body("value", equalTo(false));
    }

    @Test
    void an_operation_outside_the_keys_key_ops_gets_azures_operation_is_not_allowed() {
        create(VAULT, "sign-only", "{\"kty\":\"RSA\",\"key_ops\":[\"sign\",\"verify\"]}");
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", "RSA-OAEP", "value", b64url(new byte[16])))
                .when().post("/keys/sign-only//encrypt")
                .then().statusCode(403)
                .body("error.code", equalTo("Forbidden"))
                .body("error.innererror.code", equalTo("ForbiddenByPolicy"))
                .body("error.message", containsString("Operation is not allowed.\r\nOperation: \"encrypt\"\r\nCaller: "
                        + "appid=" + Tokens.APP + ";oid=" + Tokens.ALICE + ";iss="))
                .body("error.message", containsString("Vault: " + VAULT + ";location=westeurope"));

        // update widens key_ops; then the operation is allowed
        alice(VAULT).contentType(ContentType.JSON).body("{\"key_ops\":[\"sign\",\"verify\",\"encrypt\"]}")
                .when().patch("/keys/sign-only/").then().statusCode(200)
                .body("key.key_ops", equalTo(List.of("sign", "verify", "encrypt")));
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", "RSA-OAEP", "value", b64url(new byte[16])))
                .when().post("/keys/sign-only//encrypt").then().statusCode(200);
    }

    @Test
    void a_disabled_not_yet_valid_or_expired_key_refuses_the_operations_azure_refuses() {
        String kid = create(VAULT, "stateful", "{\"kty\":\"EC\"}").getString("key.kid");
        String digest = b64url(new byte[32]);
        alice(VAULT).contentType(ContentType.JSON).body("{\"attributes\":{\"enabled\":false},\"tags\":{\"a\":\"b\"}}")
                .when().patch("/keys/stateful/" + versionOf(kid)).then().statusCode(200)
                .body("attributes.enabled", equalTo(false)).body("tags.a", equalTo("b"));
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", "ES256", "value", digest))
                .when().post("/keys/stateful//sign").then().statusCode(403)
                .body("error.innererror.code", equalTo("KeyDisabled"));

        long future = Instant.now().getEpochSecond() + 3600;
        alice(VAULT).contentType(ContentType.JSON)
                .body("{\"attributes\":{\"enabled\":true,\"nbf\":" + future + "}}")
                .when().patch("/keys/stateful/" + versionOf(kid)).then().statusCode(200)
                .body("attributes.nbf", equalTo((int) future));
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", "ES256", "value", digest))
                .when().post("/keys/stateful//sign").then().statusCode(403)
                .body("error.innererror.code", equalTo("KeyNotYetValid"));

        long past = Instant.now().getEpochSecond() - 10;
        alice(VAULT).contentType(ContentType.JSON)
                .body("{\"attributes\":{\"nbf\":null,\"exp\":" + past + "}}")
                .when().patch("/keys/stateful/" + versionOf(kid)).then().statusCode(200)
                .body("attributes", not(hasKey("nbf")));
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", "ES256", "value", digest))
                .when().post("/keys/stateful//sign").then().statusCode(403)
                .body("error.innererror.code", equalTo("KeyExpired"));
        // verify still works on an expired key
        alice(VAULT).contentType(ContentType.JSON)
                .body(Map.of("alg", "ES256", "digest", digest, "value", b64url(new byte[64])))
                .when().post("/keys/stateful//verify").then().statusCode(200).body("value", equalTo(false));
    }

    // ---- delete, recover, purge, backup, restore, rotate ----

    @Test
    void delete_get_deleted_recover_delete_again_and_purge() {
        create(VAULT, "doomed", "{\"kty\":\"EC\"}");
        alice(VAULT).when().delete("/keys/doomed").then().statusCode(200)
                .body("recoveryId", equalTo(base(VAULT) + "/deletedkeys/doomed"))
                .body("deletedDate", notNullValue()).body("scheduledPurgeDate", notNullValue())
                .body("key.kid", matchesPattern(base(VAULT) + "/keys/doomed/" + VERSION_ID));
        alice(VAULT).when().get("/keys/doomed/").then().statusCode(404).body("error.code", equalTo("KeyNotFound"));
        alice(VAULT).when().get("/deletedkeys/doomed").then().statusCode(200)
                .body("recoveryId", equalTo(base(VAULT) + "/deletedkeys/doomed"));
        alice(VAULT).when().get("/deletedkeys").then().statusCode(200)
                .body("value.recoveryId", hasItem(base(VAULT) + "/deletedkeys/doomed"))
                .body("value.kid", hasItem(base(VAULT) + "/keys/doomed"));
        alice(VAULT).contentType(ContentType.JSON).body("{\"kty\":\"EC\"}").when().post("/keys/doomed/create")
                .then().statusCode(409).body("error.innererror.code", equalTo("ObjectIsDeletedButRecoverable"))
                .body("error.message", equalTo("Key doomed is currently in a deleted but recoverable state, and its "
                        + "name cannot be reused; in this state, the key can only be recovered or purged."));

        alice(VAULT).when().post("/deletedkeys/doomed/recover").then().statusCode(200)
                .body("key.kid", matchesPattern(base(VAULT) + "/keys/doomed/" + VERSION_ID));
        alice(VAULT).when().get("/keys/doomed/").then().statusCode(200);

        alice(VAULT).when().delete("/keys/doomed").then().statusCode(200);
        alice(VAULT).when().delete("/deletedkeys/doomed").then().statusCode(204);
        alice(VAULT).when().get("/deletedkeys/doomed").then().statusCode(404).body("error.code", equalTo("KeyNotFound"));
        create(VAULT, "doomed", "{\"kty\":\"EC\"}");
    }

    @Test
    void a_backup_restores_every_version_into_another_vault_and_still_decrypts() throws Exception {
        Vaults.put("keysrestore", Vaults.body(Vaults.policy(Tokens.ALICE, "keys", "all")));
        JsonPath first = create(VAULT, "backed-up", "{\"kty\":\"RSA\"}");
        JsonPath second = create(VAULT, "backed-up", "{\"kty\":\"RSA\",\"key_size\":3072}");
        String blob = alice(VAULT).when().post("/keys/backed-up/backup").then().statusCode(200)
                .extract().path("value");
        assertThat(blob).doesNotContain("=").doesNotContain(first.getString("key.n").substring(0, 40));

        alice("keysrestore").contentType(ContentType.JSON).body(Map.of("value", blob)).when().post("/keys/restore")
                .then().statusCode(200)
                .body("key.kid", equalTo(base("keysrestore") + "/keys/backed-up/"
                        + versionOf(second.getString("key.kid"))))
                .body("key.n", equalTo(second.getString("key.n")));
        assertThat(alice("keysrestore").when().get("/keys/backed-up/versions").then().extract()
                .<List<String>>path("value.kid")).hasSize(2);

        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        cipher.init(Cipher.ENCRYPT_MODE, rsaPublic(first));
        alice("keysrestore").contentType(ContentType.JSON)
                .body(Map.of("alg", "RSA-OAEP", "value", b64url(cipher.doFinal(new byte[] {1, 2, 3}))))
                .when().post("/keys/backed-up/" + versionOf(first.getString("key.kid")) + "/decrypt")
                .then().statusCode(200).body("value", equalTo(b64url(new byte[] {1, 2, 3})));

        // the name is taken now: a second restore is a conflict
        alice("keysrestore").contentType(ContentType.JSON).body(Map.of("value", blob)).when().post("/keys/restore")
                .then().statusCode(409).body("error.innererror.code", equalTo("ObjectAlreadyExists"));
        // an altered blob is refused, not half-restored
        char[] altered = blob.toCharArray();
        altered[altered.length / 2] = altered[altered.length / 2] == 'A' ? 'B' : 'A';
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("value", new String(altered)))
                .when().post("/keys/restore").then().statusCode(400)
                .body("error.message", containsString("Cannot decrypt backup blob"));
    }

    @Test
    void rotate_makes_a_new_version_of_the_same_type_size_and_key_ops() {
        JsonPath first = create(VAULT, "rotating", "{\"kty\":\"RSA\",\"key_size\":3072,\"key_ops\":[\"sign\"],"
                + "\"tags\":{\"t\":\"1\"}}");
        JsonPath rotated = alice(VAULT).when().post("/keys/rotating/rotate").then().statusCode(200).extract()
                .jsonPath();
        assertThat(rotated.getString("key.kid")).isNotEqualTo(first.getString("key.kid"));
        assertThat(B64URL.decode(rotated.getString("key.n"))).hasSize(384);
        assertThat(rotated.getString("key.n")).isNotEqualTo(first.getString("key.n"));
        assertThat(rotated.getList("key.key_ops")).containsExactly("sign");
        assertThat(rotated.getMap("tags")).containsEntry("t", "1");
        alice(VAULT).when().get("/keys/rotating").then().body("key.kid", equalTo(rotated.getString("key.kid")));
    }

    @Test
    void a_rotation_policy_is_key_vaults_default_until_set_and_its_expiry_goes_to_new_versions() {
        create(VAULT, "with-policy", "{\"kty\":\"EC\"}");
        alice(VAULT).when().get("/keys/with-policy/rotationpolicy").then().statusCode(200)
                .body("id", equalTo(base(VAULT) + "/keys/with-policy/rotationpolicy"))
                .body("lifetimeActions[0].trigger.timeBeforeExpiry", equalTo("P30D"))
                .body("lifetimeActions[0].action.type", equalTo("Notify"));

        alice(VAULT).contentType(ContentType.JSON).body("{\"lifetimeActions\":[{\"trigger\":{\"timeAfterCreate\":"
                + "\"P90D\"},\"action\":{\"type\":\"rotate\"}},{\"trigger\":{\"timeBeforeExpiry\":\"P30D\"},"
                + "\"action\":{\"type\":\"Notify\"}}],\"attributes\":{\"expiryTime\":\"P1Y\"}}")
                .when().put("/keys/with-policy/rotationpolicy").then().statusCode(200)
                .body("lifetimeActions[0].trigger.timeAfterCreate", equalTo("P90D"))
                .body("lifetimeActions[0].action.type", equalTo("Rotate"))
                .body("attributes.expiryTime", equalTo("P1Y"))
                .body("attributes.created", notNullValue());
        alice(VAULT).when().get("/keys/with-policy/rotationpolicy").then().statusCode(200)
                .body("attributes.expiryTime", equalTo("P1Y"));

        long inAYear = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusYears(1).toEpochSecond();
        long exp = alice(VAULT).when().post("/keys/with-policy/rotate").then().statusCode(200)
                .extract().jsonPath().getLong("attributes.exp");
        assertThat(exp).isBetween(inAYear - 60, inAYear + 60);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"attributes\":{\"expiryTime\":\"P7D\"}}    | attributes.expiryTime 'P7D' is shorter than 28 days",
            "{\"attributes\":{\"expiryTime\":\"1 year\"}} | attributes.expiryTime '1 year' is not an ISO-8601 period",
            "{\"lifetimeActions\":[{\"trigger\":{\"timeAfterCreate\":\"P1D\"},\"action\":{\"type\":\"Rotate\"}}]} | trigger.timeAfterCreate 'P1D' is shorter than 7 days",
            "{\"lifetimeActions\":[{\"trigger\":{\"timeAfterCreate\":\"P30D\"},\"action\":{\"type\":\"Notify\"}}]} | A Notify action is triggered by timeBeforeExpiry only.",
            "{\"lifetimeActions\":[{\"trigger\":{},\"action\":{\"type\":\"Rotate\"}}]} | exactly one trigger",
            "{\"lifetimeActions\":[{\"trigger\":{\"timeAfterCreate\":\"P30D\"},\"action\":{\"type\":\"Delete\"}}]} | action.type 'Delete' is not an action",
            "{\"lifetimeActions\":[{\"trigger\":{\"timeBeforeExpiry\":\"P60D\"},\"action\":{\"type\":\"Rotate\"}}],\"attributes\":{\"expiryTime\":\"P30D\"}} | is not shorter than attributes.expiryTime",
            "{\"lifetimeActions\":\"rotate\"}                 | 'lifetimeActions' must be an array.",
    })
    void a_bad_rotation_policy_is_a_400_naming_the_value_and_the_rule(String body, String message) {
        create(VAULT, "bad-policy", "{\"kty\":\"EC\"}");
        badParameter(alice(VAULT).contentType(ContentType.JSON).body(body)
                .when().put("/keys/bad-policy/rotationpolicy"), message);
    }

    // ---- errors ----

    /** A refused create or import leaves no key behind. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "POST | /keys/bad-create/create | {}                                         | The request has no 'kty'",
            "POST | /keys/bad-create/create | {\"kty\":\"oct\"}                          | kty 'oct' is not supported",
            "POST | /keys/bad-create/create | {\"kty\":\"RSA-HSM\"}                      | software-protected keys only",
            "POST | /keys/bad-create/create | {\"kty\":\"DSA\"}                          | kty 'DSA' is not a key type",
            "POST | /keys/bad-create/create | {\"kty\":\"RSA\",\"key_size\":1024}        | key_size 1024 is not supported: an RSA key is 2048, 3072 or 4096 bits.",
            "POST | /keys/bad-create/create | {\"kty\":\"RSA\",\"key_size\":\"big\"}     | 'key_size' must be an integer",
            "POST | /keys/bad-create/create | {\"kty\":\"RSA\",\"public_exponent\":3}    | public_exponent 3 is not supported",
            "POST | /keys/bad-create/create | {\"kty\":\"EC\",\"crv\":\"P-256K\"}        | crv 'P-256K' is not supported: an EC key uses one of P-256, P-384, P-521.",
            "POST | /keys/bad-create/create | {\"kty\":\"EC\",\"key_size\":256}          | key_size 256 is given for an EC key",
            "POST | /keys/bad-create/create | {\"kty\":\"EC\",\"key_ops\":[\"fly\"]}     | key_ops value 'fly' is not a key operation",
            "POST | /keys/bad-create/create | {\"kty\":\"EC\",\"key_ops\":\"sign\"}      | 'key_ops' must be an array of strings",
            "POST | /keys/bad-create/create | {\"kty\":\"EC\",\"attributes\":{\"nbf\":20,\"exp\":10}} | attributes.exp (10) is not after attributes.nbf (20)",
            "POST | /keys/bad-create/create | {\"kty\":\"EC\",\"attributes\":{\"exportable\":true}}   | keys are not exportable",
            "POST | /keys/bad-create/create | {\"kty\":\"EC\",\"tags\":{\"a\":1}}        | Tag 'a' must have a string value",
            "POST | /keys/bad-create/create | not json                                   | The request body is not valid JSON.",
            "PUT  | /keys/bad-import        | {\"key\":{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}}  | key.d is missing",
            "PUT  | /keys/bad-import        | {\"key\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AQAB\",\"y\":\"AQAB\",\"d\":\"AQAB\"}} | key.x is 3 bytes: on P-256 it is exactly 32 bytes.",
            "PUT  | /keys/bad-import        | {\"key\":{\"kty\":\"oct\",\"k\":\"AQAB\"}}                 | key.kty 'oct' is not supported",
            "PUT  | /keys/bad-import        | {\"key\":{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"d\":\"AQAB\"}} | key.n is a 17-bit modulus",
            "PUT  | /keys/bad-import        | {\"key\":{\"kty\":\"RSA\",\"n\":1}}                        | 'n' must be a string, not a JSON number.",
            "PUT  | /keys/bad-import        | {\"key\":{\"kty\":\"EC\"},\"Hsm\":true}                    | 'Hsm' is true",
            "PUT  | /keys/bad-import        | {\"attributes\":{}}                                        | The request has no 'key'",
    })
    void a_bad_create_or_import_is_a_400_naming_the_value_and_the_rule(String method, String path, String body,
            String message) {
        badParameter(alice(VAULT).contentType(ContentType.JSON).body(body).when().request(method, path), message);
        alice(VAULT).when().get(path.replaceFirst("/create$", "")).then().statusCode(404);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"alg\":\"RSA-OAEP-384\",\"value\":\"AQAB\"}   | decrypt | alg 'RSA-OAEP-384' is not supported",
            "{\"alg\":\"RSA-OAEP\",\"value\":\"*&^%\"}        | decrypt | 'value' is not base64url",
            "{\"alg\":\"RSA-OAEP\"}                           | decrypt | The request has no 'value'",
            "{\"alg\":\"RSA-OAEP\",\"value\":\"AQAB\"}        | decrypt | a ciphertext of a 2048-bit RSA key is exactly 256 bytes",
            "{\"alg\":\"ES256\",\"value\":\"AQAB\"}           | sign    | alg 'ES256' needs an EC key on P-256; this key is RSA.",
            "{\"alg\":\"RS256\",\"value\":\"AQAB\"}           | sign    | The digest is 3 bytes: RS256 signs a SHA-256 digest of exactly 32 bytes.",
            "{\"alg\":\"RS256\",\"value\":\"AQAB\"}           | verify  | The request has no 'digest'",
    })
    void a_bad_operation_request_is_a_400_naming_the_value_and_the_rule(String body, String op, String message) {
        create(VAULT, "bad-ops", "{\"kty\":\"RSA\"}");
        badParameter(alice(VAULT).contentType(ContentType.JSON).body(body)
                .when().post("/keys/bad-ops//" + op), message);
    }

    @Test
    void a_wrong_ciphertext_is_a_400_not_a_500() {
        create(VAULT, "wrong-ct", "{\"kty\":\"RSA\"}");
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", "RSA-OAEP", "value", b64url(new byte[256])))
                .when().post("/keys/wrong-ct//decrypt").then().statusCode(400)
                .body("error.message", containsString("does not decrypt with RSA-OAEP under this key"));
    }


    @Test
    void names_and_versions_that_break_the_rules_are_400_and_missing_ones_404() {
        alice(VAULT).contentType(ContentType.JSON).body("{\"kty\":\"EC\"}").when().post("/keys/bad_name/create")
                .then().statusCode(400).body("error.message", containsString("Invalid key name 'bad_name'"));
        alice(VAULT).when().get("/keys/nothing-here/0123").then().statusCode(400)
                .body("error.message", containsString("a key version is 32 hexadecimal characters"));
        notFound(alice(VAULT).when().get("/keys/nothing-here"), "key", "nothing-here");
        create(VAULT, "one-version", "{\"kty\":\"EC\"}");
        alice(VAULT).when().get("/keys/one-version/" + "0".repeat(32)).then().statusCode(404)
                .body("error.message", containsString("one-version/" + "0".repeat(32)));
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", "ES256", "value", b64url(new byte[32])))
                .when().post("/keys/nothing-here//sign").then().statusCode(404);
    }

    @Test
    void each_request_produces_one_decision_event_naming_the_key_operation() {
        create(VAULT, "evented", "{\"kty\":\"EC\"}");
        String id = alice(VAULT).contentType(ContentType.JSON)
                .body(Map.of("alg", "ES256", "value", b64url(new byte[32])))
                .when().post("/keys/evented//sign").then().statusCode(200)
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        DecisionEvent event = DecisionEvents.await(id);
        assertThat(event.getOperation()).isEqualTo("KeySign");
        assertThat(event.getResult()).isEqualTo(Result.RESULT_ALLOWED);
        assertThat(event.getLayer()).isEqualTo(Layer.LAYER_OPERATION);
        assertThat(event.getHttpStatus()).isEqualTo(200);
        assertThat(event.toString()).doesNotContain(b64url(new byte[32]));
    }

    // ---- helpers ----

    static KeyPair rsaPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    static Map<String, Object> rsaJwk(RSAPrivateCrtKey priv, List<String> ops) {
        return Map.of("kty", "RSA", "key_ops", ops, "n", b64url(unsigned(priv.getModulus())),
                "e", b64url(unsigned(priv.getPublicExponent())), "d", b64url(unsigned(priv.getPrivateExponent())),
                "p", b64url(unsigned(priv.getPrimeP())), "q", b64url(unsigned(priv.getPrimeQ())),
                "dp", b64url(unsigned(priv.getPrimeExponentP())), "dq", b64url(unsigned(priv.getPrimeExponentQ())),
                "qi", b64url(unsigned(priv.getCrtCoefficient())));
    }

    static PublicKey rsaPublic(JsonPath key) throws Exception {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, B64URL.decode(key.getString("key.n"))),
                new BigInteger(1, B64URL.decode(key.getString("key.e")))));
    }

    static PublicKey ecPublic(JsonPath key) throws Exception {
        String curve = switch (key.getString("key.crv")) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            default -> "secp521r1";
        };
        java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(curve));
        return KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(
                new java.security.spec.ECPoint(new BigInteger(1, B64URL.decode(key.getString("key.x"))),
                        new BigInteger(1, B64URL.decode(key.getString("key.y")))),
                parameters.getParameterSpec(java.security.spec.ECParameterSpec.class)));
    }

    static Signature jdkSignature(String alg, String hash) throws Exception {
        String h = hash.replace("-", "");
        return switch (alg.charAt(0)) {
            case 'R' -> Signature.getInstance(h + "withRSA");
            case 'E' -> Signature.getInstance(h + "withECDSAinP1363Format");
            default -> {
                Signature pss = Signature.getInstance("RSASSA-PSS");
                int length = MessageDigest.getInstance(hash).getDigestLength();
                pss.setParameter(new java.security.spec.PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash),
                        length, 1));
                yield pss;
            }
        };
    }

    static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    static byte[] fixed(BigInteger value, int length) {
        byte[] bytes = unsigned(value);
        byte[] out = new byte[length];
        System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
        return out;
    }
}
