/** IPv4 arithmetic for address filters and for telling public from private addresses. */
package dev.moat.audit.network;
