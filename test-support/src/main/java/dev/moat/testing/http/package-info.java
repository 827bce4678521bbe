/** HTTP helpers for the services' Quarkus tests: the management interface that serves health and metrics. */
package dev.moat.testing.http;
