/** The firewall diagnosis: denials grouped by client and subnet, and the rule that would admit them. */
package dev.moat.audit.diagnosis;
