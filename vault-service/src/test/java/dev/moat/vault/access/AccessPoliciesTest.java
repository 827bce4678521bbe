package dev.moat.vault.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.moat.vault.auth.Identity;

class AccessPoliciesTest {

    private static final String T = "00000000-0000-0000-0000-00000000c0de";
    private static final String APP = "11111111-2222-3333-4444-555555555555";

    private static AccessPolicyEntry entry(String oid, String app, PermissionCategory category, String... names) {
        return new AccessPolicyEntry(T, oid, app, Map.of(category, List.of(names)));
    }

    static Stream<Arguments> rules() {
        Identity alice = new Identity(T, "alice", APP, "iss");
        Identity aliceViaOtherApp = new Identity(T, "alice", "99999999-0000-0000-0000-000000000000", "iss");
        Identity aliceElsewhere = new Identity("11111111-0000-0000-0000-000000000000", "alice", APP, "iss");
        Identity bob = new Identity(T, "bob", APP, "iss");
        return Stream.of(
                // entries, caller, category, permission, allowed
                Arguments.of(List.of(entry("alice", null, PermissionCategory.SECRETS, "get")), alice,
                        PermissionCategory.SECRETS, "get", true),
                Arguments.of(List.of(entry("alice", null, PermissionCategory.SECRETS, "get")), alice,
                        PermissionCategory.SECRETS, "set", false),
                Arguments.of(List.of(entry("alice", null, PermissionCategory.SECRETS, "get")), bob,
                        PermissionCategory.SECRETS, "get", false),
                Arguments.of(List.of(entry("alice", null, PermissionCategory.SECRETS, "get")), aliceElsewhere,
                        PermissionCategory.SECRETS, "get", false),
                Arguments.of(List.of(entry("alice", null, PermissionCategory.SECRETS, "all")), alice,
                        PermissionCategory.SECRETS, "purge", true),
                Arguments.of(List.of(entry("alice", null, PermissionCategory.SECRETS, "all")), alice,
                        PermissionCategory.KEYS, "get", false),
                Arguments.of(List.of(entry("ALICE", null, PermissionCategory.KEYS, "WrapKey")), alice,
                        PermissionCategory.KEYS, "wrapKey", true),
                Arguments.of(List.of(entry("alice", APP, PermissionCategory.SECRETS, "get")), alice,
                        PermissionCategory.SECRETS, "get", true),
                Arguments.of(List.of(entry("alice", APP, PermissionCategory.SECRETS, "get")), aliceViaOtherApp,
                        PermissionCategory.SECRETS, "get", false),
                Arguments.of(List.of(entry("bob", null, PermissionCategory.SECRETS, "get"),
                        entry("alice", null, PermissionCategory.SECRETS, "list")), alice,
                        PermissionCategory.SECRETS, "list", true),
                Arguments.of(List.of(), alice, PermissionCategory.SECRETS, "get", false));
    }

    @ParameterizedTest(name = "[{index}] {2} {3} for {1} -> {4}")
    @MethodSource("rules")
    void grants_a_permission_only_through_an_entry_for_the_caller(List<AccessPolicyEntry> entries, Identity caller,
            PermissionCategory category, String permission, boolean allowed) {
        assertThat(AccessPolicies.allows(entries, caller, category, permission)).isEqualTo(allowed);
    }
}
