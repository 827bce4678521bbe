/**
 * Master-key rotation across replicas (docs/adr/0018-master-key-rotation.md): each replica records which master keys
 * it holds ({@link dev.moat.vault.masterkeys.MasterKeyHolders}); once every live replica has the same primary key, a
 * leased job re-wraps the data keys still under another key, a batch of vaults at a time, while the vaults keep
 * serving ({@link dev.moat.vault.masterkeys.DataKeyRewrap}); the report says per key how many data keys still need it
 * and whether it can be removed ({@link dev.moat.vault.masterkeys.MasterKeyReport}); and a replica refuses to start
 * without a key that still wraps data ({@link dev.moat.vault.masterkeys.MasterKeyRotation}). Only key ids are stored
 * or shown, never key material.
 */
package dev.moat.vault.masterkeys;
