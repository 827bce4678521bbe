/**
 * The network facts the firewall reasons about: IPv4 addresses and ranges (parsed strictly, always with
 * the IPAddress library), the reserved non-public blocks, ARM resource ids of virtual networks and subnets,
 * and the virtual networks themselves with their subnets and service endpoints.
 *
 * <p>Plain Java values, no framework types: validation of raw input lives in {@code dev.moat.policy.rules},
 * evaluation in {@code dev.moat.policy.decision}.
 */
package dev.moat.policy.network;
