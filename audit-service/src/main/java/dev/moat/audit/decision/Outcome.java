package dev.moat.audit.decision;

import dev.moat.audit.common.Labelled;

/** Whether a data-plane request was let through as a whole. */
public enum Outcome implements Labelled {
    ALLOWED("Allowed"),
    DENIED("Denied");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
