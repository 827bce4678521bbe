package dev.moat.audit.api;

import java.util.List;

/**
 * One page of a listing, in Azure's list shape: the items in {@code value}, and {@code nextLink} to fetch the next
 * page (absent on the last page).
 */
public record ListView<T>(List<T> value, String nextLink) {
}
