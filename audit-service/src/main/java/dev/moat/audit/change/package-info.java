/** Management changes as audit-service keeps them: who changed which resource, before and after. */
package dev.moat.audit.change;
