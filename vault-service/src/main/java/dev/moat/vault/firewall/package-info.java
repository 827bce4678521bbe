/**
 * The gRPC clients of policy-service: {@code Check} before every data-plane operation (deadline, fail closed) and
 * {@code NetworkPolicyAdmin} for the management plane, both carrying vault-service's own tokens (ADR 0002).
 */
package dev.moat.vault.firewall;
