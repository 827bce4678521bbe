package dev.moat.vault.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.testing.DecisionEvents;
import dev.moat.vault.testing.FreshPolicyService;
import dev.moat.vault.testing.Sql;
import dev.moat.vault.testing.StoredFiles;
import dev.moat.vault.testing.Tokens;
import dev.moat.vault.testing.Vaults;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Issue 6, "Done when" 3: no private key material is found in plaintext in the data directory. Keys whose private
 * parts the test knows are imported, used (sign, decrypt), versioned, updated, backed up, deleted, recovered, restored
 * into another vault and rotated, and a certificate is imported from a PFX, backed up and restored; then no file under the data directory (the H2 database, the event spool, TLS and
 * issuer keys) holds their PKCS#8 encoding, their private exponent, primes or EC scalar, raw or in base64/base64url,
 * while the public modulus, stored in clear, is found (so the scan does read the stored keys).
 */
@QuarkusTest
class PrivateKeysAtRestTest implements FreshPolicyService {

    private static final String VAULT = "keysatrest";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    @Inject
    AgroalDataSource dataSource;

    private static RequestSpecification alice(String vault) {
        return Vaults.as(vault, Tokens.ALICE, "7.5").urlEncodingEnabled(false);
    }

    @Test
    void no_file_under_the_data_directory_holds_a_private_key() throws Exception {
        String body = Vaults.body(Vaults.policy(Tokens.ALICE, "keys", "all"),
                Vaults.policy(Tokens.ALICE, "certificates", "all"));
        Vaults.put(VAULT, body);
        Vaults.put("keysatrest2", body);
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        KeyPair rsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = ecGenerator.generateKeyPair();
        RSAPrivateCrtKey rsaPrivate = (RSAPrivateCrtKey) rsa.getPrivate();
        ECPublicKey ecPublic = (ECPublicKey) ec.getPublic();
        byte[] ecScalar = KeyMaterial.fixed(((ECPrivateKey) ec.getPrivate()).getS(), 32);

        alice(VAULT).contentType(ContentType.JSON).body(Map.of("key", Map.of("kty", "RSA",
                "n", b64(rsaPrivate.getModulus()), "e", b64(rsaPrivate.getPublicExponent()),
                "d", b64(rsaPrivate.getPrivateExponent()), "p", b64(rsaPrivate.getPrimeP()),
                "q", b64(rsaPrivate.getPrimeQ()), "dp", b64(rsaPrivate.getPrimeExponentP()),
                "dq", b64(rsaPrivate.getPrimeExponentQ()), "qi", b64(rsaPrivate.getCrtCoefficient()))))
                .when().put("/keys/known-rsa").then().statusCode(200);
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("key", Map.of("kty", "EC", "crv", "P-256",
                "x", B64URL.encodeToString(KeyMaterial.fixed(ecPublic.getW().getAffineX(), 32)),
                "y", B64URL.encodeToString(KeyMaterial.fixed(ecPublic.getW().getAffineY(), 32)),
                "d", B64URL.encodeToString(ecScalar))))
                .when().put("/keys/known-ec").then().statusCode(200);

        alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", "RS256", "value",
                B64URL.encodeToString(new byte[32]))).when().post("/keys/known-rsa//sign").then().statusCode(200);
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", "ES256", "value",
                B64URL.encodeToString(new byte[32]))).when().post("/keys/known-ec//sign").then().statusCode(200);
        String ciphertext = alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", "RSA-OAEP", "value",
                B64URL.encodeToString(new byte[16]))).when().post("/keys/known-rsa//encrypt").then().statusCode(200)
                .extract().path("value");
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("alg", "RSA-OAEP", "value", ciphertext))
                .when().post("/keys/known-rsa//decrypt").then().statusCode(200);
        alice(VAULT).contentType(ContentType.JSON).body("{\"tags\":{\"t\":\"at-rest\"}}")
                .when().patch("/keys/known-rsa/").then().statusCode(200);
        for (String name : List.of("known-rsa", "known-ec")) {
            String blob = alice(VAULT).when().post("/keys/" + name + "/backup").then().statusCode(200)
                    .extract().path("value");
            alice("keysatrest2").contentType(ContentType.JSON).body(Map.of("value", blob))
                    .when().post("/keys/restore").then().statusCode(200);
        }
        // a certificate imported as a PFX: its key goes to the keys, its PFX to the secrets
        KeyPair certified = rsaGenerator.generateKeyPair();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=at-rest"), BigInteger.ONE, new Date(), new Date(System.currentTimeMillis() + 86_400_000L),
                new X500Name("CN=at-rest"), certified.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(certified.getPrivate())));
        KeyStore pfx = KeyStore.getInstance("PKCS12");
        pfx.load(null, null);
        pfx.setKeyEntry("c", certified.getPrivate(), "pw".toCharArray(), new X509Certificate[] {certificate});
        ByteArrayOutputStream pfxBytes = new ByteArrayOutputStream();
        pfx.store(pfxBytes, "pw".toCharArray());
        alice(VAULT).contentType(ContentType.JSON).body(Map.of("value",
                Base64.getEncoder().encodeToString(pfxBytes.toByteArray()), "pwd", "pw"))
                .when().post("/certificates/known-cert/import").then().statusCode(200);
        String certBlob = alice(VAULT).when().post("/certificates/known-cert/backup").then().statusCode(200)
                .extract().path("value");
        alice("keysatrest2").contentType(ContentType.JSON).body(Map.of("value", certBlob))
                .when().post("/certificates/restore").then().statusCode(200);

        alice(VAULT).when().delete("/keys/known-ec").then().statusCode(200);
        alice(VAULT).when().post("/deletedkeys/known-ec/recover").then().statusCode(200);
        alice(VAULT).when().post("/keys/known-rsa/rotate").then().statusCode(200);
        String last = alice("keysatrest2").when().get("/keys/known-rsa").then().statusCode(200)
                .extract().header(DataPlanePipeline.DECISION_ID_HEADER);
        DecisionEvents.await(last);
        Sql.execute(dataSource, "CHECKPOINT SYNC");

        assertThat(StoredFiles.containing(KeyMaterial.unsigned(rsaPrivate.getModulus())))
                .as("the public modulus, stored in clear, is found: the scan reads the stored keys")
                .anyMatch(p -> p.getFileName().toString().equals("vault.mv.db"));
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        secrets.put("RSA PKCS#8", rsa.getPrivate().getEncoded());
        secrets.put("EC PKCS#8", ec.getPrivate().getEncoded());
        secrets.put("d", KeyMaterial.unsigned(rsaPrivate.getPrivateExponent()));
        secrets.put("p", KeyMaterial.unsigned(rsaPrivate.getPrimeP()));
        secrets.put("q", KeyMaterial.unsigned(rsaPrivate.getPrimeQ()));
        secrets.put("dp", KeyMaterial.unsigned(rsaPrivate.getPrimeExponentP()));
        secrets.put("EC d", ecScalar);
        secrets.put("certificate PKCS#8", certified.getPrivate().getEncoded());
        secrets.put("certificate d", KeyMaterial.unsigned(((RSAPrivateCrtKey) certified.getPrivate())
                .getPrivateExponent()));
        for (var secret : secrets.entrySet()) {
            byte[] value = secret.getValue();
            // any 24-byte window would do; three across the value guard against a partial copy
            for (int offset : new int[] {0, value.length / 2 - 12, value.length - 24}) {
                byte[] window = Arrays.copyOfRange(value, offset, offset + 24);
                assertThat(StoredFiles.containing(window)).as(secret.getKey() + " raw at " + offset).isEmpty();
            }
            for (String text : List.of(Base64.getEncoder().encodeToString(value), B64URL.encodeToString(value))) {
                // from the middle: the start of a PKCS#8 encoding is the same for every key of its kind
                int middle = Math.min(text.length() / 2, text.length() - 32);
                assertThat(StoredFiles.containing(text.substring(middle, middle + 32).getBytes(StandardCharsets.US_ASCII)))
                        .as(secret.getKey() + " in base64").isEmpty();
            }
        }
    }

    private static String b64(BigInteger value) {
        return B64URL.encodeToString(KeyMaterial.unsigned(value));
    }
}
