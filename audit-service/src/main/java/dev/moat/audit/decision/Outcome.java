package dev.moat.audit.decision;

import dev.moat.audit.common.Labelled;

/** Whether a data-plane request was let through as a whole. */
public enum Outcome implements Labelled {
    ALLOWED,
    DENIED
}
