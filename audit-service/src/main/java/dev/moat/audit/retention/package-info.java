/** Keeping events only as long as configured: the scheduled purge. */
package dev.moat.audit.retention;
