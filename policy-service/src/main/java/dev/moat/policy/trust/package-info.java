/**
 * The trusted-services catalog: the Microsoft services that pass a vault's firewall when its {@code bypass}
 * is {@code AzureServices}, recognised by the application id in their tokens. The source document's 18
 * services are built in; operators may add their own.
 *
 * <p>Passing the firewall is not authorisation: a trusted service still needs a valid token and an access
 * policy on the vault.
 */
package dev.moat.policy.trust;
