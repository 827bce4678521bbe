/**
 * What an administrator may configure, and the validation that turns raw input (strings as they arrive over
 * gRPC or JSON) into it: a vault's ARM-compatible network rule set ({@code defaultAction}, {@code bypass},
 * IP rules, virtual network rules) and virtual networks with their subnets.
 *
 * <p>Validation is all-or-nothing and exhaustive: either a value is produced, or a list of every
 * {@link dev.moat.policy.rules.Violation} (field, value, rule, message) and nothing else. Each rule of the
 * source document is enforced here and only here.
 */
package dev.moat.policy.rules;
