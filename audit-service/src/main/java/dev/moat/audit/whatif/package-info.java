/**
 * The what-if of a rule change: the distinct origins a vault has seen, decided again under a proposed rule set,
 * and sorted into newly denied, newly allowed and unchanged (plain Java over the store and the policy client).
 */
package dev.moat.audit.whatif;
