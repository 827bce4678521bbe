/** Typed configuration under {@code moat.audit}. */
package dev.moat.audit.config;
