package dev.moat.vault.testing;

import org.junit.jupiter.api.BeforeAll;

/** A test that calls the running service over HTTPS: rest-assured trusts its local CA before the first test. */
public interface TrustsLocalCa {

    @BeforeAll
    static void trustTheLocalCa() {
        TestHttps.trustLocalCa();
    }
}
