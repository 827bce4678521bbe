package dev.moat.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetworkRuleErrorsTest {

    @Test
    void each_of_policy_services_messages_goes_to_the_field_it_names() {
        NetworkRuleErrors errors = NetworkRuleErrors.parse("ipRules: 130 IP rules exceed the limit of 127 IP rules per "
                + "vault; ipRules[0].value: '10.0.0.0/8' is not a public address; it overlaps 10.0.0.0/8; "
                + "virtualNetworkRules[1].id: subnet '/subscriptions/s/x' does not exist; defaultAction: 'Maybe' is "
                + "not a default action");
        assertThat(errors.of("ipRules")).isEqualTo("130 IP rules exceed the limit of 127 IP rules per vault");
        assertThat(errors.of("ipRules[0]")).isEqualTo("'10.0.0.0/8' is not a public address; it overlaps 10.0.0.0/8");
        assertThat(errors.of("virtualNetworkRules[1]")).isEqualTo("subnet '/subscriptions/s/x' does not exist");
        assertThat(errors.of("defaultAction")).isEqualTo("'Maybe' is not a default action");
        assertThat(errors.of("ipRules[1]")).isNull();
        assertThat(errors.general()).isEmpty();
    }

    @Test
    void a_message_that_names_no_field_is_shown_above_the_form() {
        NetworkRuleErrors errors = NetworkRuleErrors.parse("The client 'x' does not have authorization to perform "
                + "action 'Microsoft.KeyVault/vaults/write'");
        assertThat(errors.byField()).isEmpty();
        assertThat(errors.general()).containsExactly("The client 'x' does not have authorization to perform action "
                + "'Microsoft.KeyVault/vaults/write'");
        assertThat(errors.any()).isTrue();
    }

    @Test
    void the_arm_prefix_of_a_field_is_understood() {
        assertThat(NetworkRuleErrors.parse("properties.networkAcls.ipRules[2].value: bad").of("ipRules[2]"))
                .isEqualTo("bad");
    }
}
