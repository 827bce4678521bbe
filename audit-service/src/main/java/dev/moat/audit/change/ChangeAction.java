package dev.moat.audit.change;

import dev.moat.audit.common.Labelled;

/** What happened to the resource. */
public enum ChangeAction implements Labelled {
    CREATED,
    UPDATED,
    DELETED
}
