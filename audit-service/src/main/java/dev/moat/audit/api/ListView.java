package dev.moat.audit.api;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.core.UriInfo;

import dev.moat.audit.common.PageCursor;

/**
 * One page of a listing, in Azure's list shape: the items in {@code value}, and {@code nextLink} to fetch the next
 * page (null on the last page): the same request with the next page's cursor.
 */
public record ListView<T>(List<T> value, String nextLink) {

    static <T> ListView<T> of(List<T> value, Optional<PageCursor> next, UriInfo uri) {
        return new ListView<>(value, next
                .map(cursor -> uri.getRequestUriBuilder().replaceQueryParam("cursor", cursor.encode()).build().toString())
                .orElse(null));
    }
}
