/** Calls to Moat's APIs (management, data plane, audit) with the signed-in user's token. */
package dev.moat.console.moat;
