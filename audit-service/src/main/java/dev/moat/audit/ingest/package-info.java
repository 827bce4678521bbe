/** Reading events from Kafka and storing each exactly once: decoding, validation, the consumer loop, dead letters. */
package dev.moat.audit.ingest;
