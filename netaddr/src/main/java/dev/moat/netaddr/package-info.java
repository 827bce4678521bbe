/**
 * Network addresses as every Moat service reads them: {@link dev.moat.netaddr.Ipv4} turns text into an address or
 * range with one strict notation, {@link dev.moat.netaddr.ReservedBlocks} knows the IPv4 blocks that are not
 * publicly routable. policy-service validates and evaluates rules with them, audit-service filters and diagnoses
 * with them, so that a value one accepts the other accepts too.
 */
package dev.moat.netaddr;
