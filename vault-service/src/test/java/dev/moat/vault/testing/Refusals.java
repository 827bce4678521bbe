package dev.moat.vault.testing;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Locale;

import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/** Key Vault's error answers as the API tests expect them, written once for every object type. */
public final class Refusals {

    private Refusals() {
    }

    /** A request that breaks a rule: 400 {@code BadParameter}, the message naming the value and the rule. */
    public static ValidatableResponse badParameter(Response response, String message) {
        return response.then().statusCode(400).body("error.code", equalTo("BadParameter"))
                .body("error.message", containsString(message));
    }

    /**
     * Key Vault's 404 for a name no live object of the type has ({@code noun}: {@code secret}, {@code key}): the code
     * ({@code SecretNotFound}) and the message, to the letter, as the SDKs show them.
     */
    public static ValidatableResponse notFound(Response response, String noun, String name) {
        return response.then().statusCode(404)
                .body("error.code", equalTo(noun.substring(0, 1).toUpperCase(Locale.ROOT) + noun.substring(1)
                        + "NotFound"))
                .body("error.message", equalTo("A " + noun + " with (name/id) " + name + " was not found in this key "
                        + "vault. If you recently deleted this " + noun + " you may be able to recover it using the "
                        + "correct recovery command. For help resolving this issue, please see "
                        + "https://go.microsoft.com/fwlink/?linkid=2125182"));
    }
}
