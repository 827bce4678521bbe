/**
 * The one data-plane path: route, resolve the origin, authenticate, ask the firewall, check the access policy, run
 * the operation, publish the decision. Refusals leave it as {@link dev.moat.vault.pipeline.Refusal} values, which the
 * edge ({@code dev.moat.vault.api}) answers in Key Vault's words: the pipeline never imports the edge.
 */
package dev.moat.vault.pipeline;
