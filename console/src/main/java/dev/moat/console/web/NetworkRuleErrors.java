package dev.moat.console.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * policy-service's validation messages (vault-service passes them on as ARM's {@code error.message},
 * {@code "<field>: <message>; <field>: <message>"}) sorted by the field they concern, so that the page can show each
 * beside its field: {@code ipRules[3].value} beside the fourth IP rule, {@code ipRules} (their number) above the list.
 */
record NetworkRuleErrors(Map<String, String> byField, List<String> general) {

    private static final Pattern FIELD = Pattern.compile(
            "(?:properties\\.networkAcls\\.)?((?:ipRules|virtualNetworkRules)(?:\\[(\\d+)\\])?|defaultAction|bypass)"
                    + "(?:\\.(?:value|id))?: (.*)", Pattern.DOTALL);

    static NetworkRuleErrors none() {
        return new NetworkRuleErrors(Map.of(), List.of());
    }

    static NetworkRuleErrors parse(String message) {
        Map<String, String> byField = new LinkedHashMap<>();
        List<String> general = new ArrayList<>();
        for (String part : message.split("; (?=(?:properties\\.networkAcls\\.)?[A-Za-z]+(?:\\[\\d+\\])?(?:\\.[a-z]+)?: )")) {
            Matcher m = FIELD.matcher(part.trim());
            if (m.matches()) {
                byField.merge(m.group(1), m.group(3), (a, b) -> a + " " + b);
            } else {
                general.add(part.trim());
            }
        }
        return new NetworkRuleErrors(byField, general);
    }

    String of(String field) {
        return byField.get(field);
    }

    boolean any() {
        return !byField.isEmpty() || !general.isEmpty();
    }
}
