package dev.moat.vault.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.moat.vault.auth.Identity;

class AccessPoliciesTest {

    private static final String T = "00000000-0000-0000-0000-00000000c0de";
    private static final String APP = "11111111-2222-3333-4444-555555555555";

    private static final Map<String, Identity> CALLERS = Map.of(
            "alice", new Identity(T, "alice", APP, "iss"),
            "aliceViaOtherApp", new Identity(T, "alice", "99999999-0000-0000-0000-000000000000", "iss"),
            "aliceElsewhere", new Identity("11111111-0000-0000-0000-000000000000", "alice", APP, "iss"),
            "bob", new Identity(T, "bob", APP, "iss"));

    /** {@code oid app category permission,...} per entry, entries apart by {@code ;}; app {@code -}: none. */
    private static List<AccessPolicyEntry> entries(String table) {
        if (table.isBlank()) {
            return List.of();
        }
        return Arrays.stream(table.split(";")).map(String::trim).map(entry -> entry.split(" +")).map(cell ->
                new AccessPolicyEntry(T, cell[0], cell[1].equals("-") ? null : APP,
                        Map.of(PermissionCategory.valueOf(cell[2]), List.of(cell[3].split(","))))).toList();
    }

    @ParameterizedTest(name = "[{index}] {2} {3} for {1} with [{0}] -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            # entries                                     | caller           | category | permission | allowed
            alice - SECRETS get                           | alice            | SECRETS  | get        | true
            alice - SECRETS get                           | alice            | SECRETS  | set        | false
            alice - SECRETS get                           | bob              | SECRETS  | get        | false
            alice - SECRETS get                           | aliceElsewhere   | SECRETS  | get        | false
            alice - SECRETS all                           | alice            | SECRETS  | purge      | true
            alice - SECRETS all                           | alice            | KEYS     | get        | false
            ALICE - KEYS WrapKey                          | alice            | KEYS     | wrapKey    | true
            alice APP SECRETS get                         | alice            | SECRETS  | get        | true
            alice APP SECRETS get                         | aliceViaOtherApp | SECRETS  | get        | false
            bob - SECRETS get; alice - SECRETS list       | alice            | SECRETS  | list       | true
            ''                                            | alice            | SECRETS  | get        | false
            """)
    void grants_a_permission_only_through_an_entry_for_the_caller(String entries, String caller,
            PermissionCategory category, String permission, boolean allowed) {
        assertThat(AccessPolicies.allows(entries(entries), CALLERS.get(caller), category, permission))
                .isEqualTo(allowed);
    }
}
