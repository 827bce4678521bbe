package dev.moat.audit.common;

import java.util.List;
import java.util.Optional;

/** One page of a newest-first listing, and where the next one starts when there is more. */
public record Page<T>(List<T> items, Optional<PageCursor> next) {
}
