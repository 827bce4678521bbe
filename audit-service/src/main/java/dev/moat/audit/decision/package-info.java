/** Data-plane decisions as audit-service keeps them, and the filters that select them. */
package dev.moat.audit.decision;
