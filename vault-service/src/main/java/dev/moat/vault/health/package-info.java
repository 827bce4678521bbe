/** Readiness: policy-service and Kafka answer. */
package dev.moat.vault.health;
