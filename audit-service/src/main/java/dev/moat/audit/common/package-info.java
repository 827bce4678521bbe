/** Small values shared by the domains: Azure-style enum names and newest-first paging. */
package dev.moat.audit.common;
