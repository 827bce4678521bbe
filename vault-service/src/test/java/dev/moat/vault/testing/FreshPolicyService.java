package dev.moat.vault.testing;

import org.junit.jupiter.api.BeforeEach;

/**
 * A test against the running service whose every test starts with the policy-service double afresh (it allows
 * everything and has received nothing), before the test class's own {@code @BeforeEach}.
 */
public interface FreshPolicyService extends TrustsLocalCa {

    @BeforeEach
    default void freshPolicyService() {
        PolicyServiceDouble.reset();
    }
}
