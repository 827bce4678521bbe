/**
 * The firewall decision: given a vault, the client's address, the subnet it came through (if a trusted edge
 * says so) and the caller's application id, allow or deny, and say why.
 *
 * <p>{@link dev.moat.policy.decision.PolicySnapshot} is the compiled, immutable index the service answers
 * from: built from the stored rules, virtual networks and trusted-services catalog, swapped whole (by the
 * caller, through an {@code AtomicReference}) when any of them changes, and evaluated without I/O.
 */
package dev.moat.policy.decision;
