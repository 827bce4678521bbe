package dev.moat.vault.objects;

/** A vault object as its owner named it (the case kept), which its ids and {@code recoveryId} carry. */
public interface Named {

    String name();
}
