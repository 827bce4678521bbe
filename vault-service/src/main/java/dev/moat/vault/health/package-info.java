/** Readiness: policy-service answers, and decision events can be recorded (the spool is not full and rejecting). */
package dev.moat.vault.health;
