/** Calls to other Moat services: policy-service's rule-set evaluation, with audit-service's own token. */
package dev.moat.audit.client;
