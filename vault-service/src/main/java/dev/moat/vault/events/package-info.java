/**
 * Events to Kafka. Decision events, one per data-plane request, go first to the durable {@code DecisionSpool} on disk
 * and are delivered by the {@code SpoolSender}, so none is lost while Kafka is away; change events of the management
 * plane go through the transactional outbox. Both are keyed by vault, with CloudEvents-style headers.
 */
package dev.moat.vault.events;
