package dev.moat.audit.whatif;

import dev.moat.audit.decision.AuthorizationType;

/**
 * The firewall's answer for an origin under one rule set.
 *
 * @param type           why ({@code Denied} when no rule admits it)
 * @param rule           the IP rule or virtual network rule that admits it; {@code null} when none
 * @param trustedService the trusted service let through; {@code null} when none
 */
public record Verdict(boolean allowed, AuthorizationType type, String rule, String trustedService) {
}
