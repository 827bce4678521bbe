/** Server-side sessions of signed-in users: the browser holds only a random id in a Secure, HttpOnly cookie. */
package dev.moat.console.session;
