/** Decision events to Kafka: one per data-plane request, keyed by vault, with CloudEvents-style headers. */
package dev.moat.vault.events;
