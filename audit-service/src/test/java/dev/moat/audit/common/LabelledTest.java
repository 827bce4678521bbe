package dev.moat.audit.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.moat.audit.change.ChangeAction;
import dev.moat.audit.change.ResourceKind;
import dev.moat.audit.decision.AuthorizationType;
import dev.moat.audit.decision.Layer;
import dev.moat.audit.decision.Outcome;
import dev.moat.audit.diagnosis.Remedy;

/** The labels are what the store holds and the API shows: one row per enum, every label spelled out. */
class LabelledTest {

    static Stream<Arguments> labels() {
        return Stream.of(
                Arguments.of(ChangeAction.class, List.of("Created", "Updated", "Deleted")),
                Arguments.of(ResourceKind.class, List.of("Vault", "NetworkRuleSet", "AccessPolicies", "VirtualNetwork")),
                Arguments.of(AuthorizationType.class, List.of("DefaultAllow", "TrustedService", "VirtualNetworkRule",
                        "IpRule", "Denied", "UnknownVault")),
                Arguments.of(Layer.class, List.of("Authentication", "Firewall", "AccessPolicy", "Operation", "Request")),
                Arguments.of(Outcome.class, List.of("Allowed", "Denied")),
                Arguments.of(Remedy.Kind.class, List.of("AddIpRule", "AddVirtualNetworkRule", "UseVirtualNetwork",
                        "UseIpv4", "UnknownClient")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labels")
    void each_value_is_labelled_by_its_name_in_pascal_case(Class<? extends Enum<?>> type, List<String> expected) {
        assertThat(Arrays.stream(type.getEnumConstants()).map(value -> ((Labelled) value).label()))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void a_label_is_parsed_whatever_its_case_and_separators() {
        for (String text : List.of("AccessPolicy", "access-policy", "accessPolicy", "ACCESS_POLICY")) {
            assertThat(Labelled.parse(Layer.class, text)).contains(Layer.ACCESS_POLICY);
        }
        assertThat(Labelled.parse(Layer.class, "Policy")).isEmpty();
        assertThat(Labelled.labels(Outcome.class)).isEqualTo("Allowed, Denied");
    }
}
