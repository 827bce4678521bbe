/** Readiness beyond the database: the Kafka broker and the event consumer. */
package dev.moat.audit.health;
