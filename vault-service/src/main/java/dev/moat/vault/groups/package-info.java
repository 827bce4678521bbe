/**
 * ARM resource groups as the management plane keeps them: a name per subscription (compared case-insensitively, as
 * ARM does), a location that resources created in the group take when they name none, and tags.
 */
package dev.moat.vault.groups;
