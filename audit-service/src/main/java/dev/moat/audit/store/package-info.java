/** JDBC persistence of events (H2 or PostgreSQL, same SQL) and the queries over them. */
package dev.moat.audit.store;
