package dev.moat.vault.objects;

import java.util.List;

/**
 * One page of a list.
 *
 * @param next where the next page starts (opaque to callers), or null on the last page
 */
public record Page<T>(List<T> items, String next) {

    public Page {
        items = List.copyOf(items);
    }
}
