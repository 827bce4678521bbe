/** Sign-in through OpenID Connect (authorization code with PKCE) against the built-in issuer or any provider. */
package dev.moat.console.signin;
