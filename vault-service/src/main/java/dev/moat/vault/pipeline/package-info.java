/**
 * The one data-plane path: route, resolve the origin, authenticate, ask the firewall, check the access policy, run
 * the operation, publish the decision.
 */
package dev.moat.vault.pipeline;
