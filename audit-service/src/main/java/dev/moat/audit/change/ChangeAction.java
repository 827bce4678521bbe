package dev.moat.audit.change;

import dev.moat.audit.common.Labelled;

/** What happened to the resource. */
public enum ChangeAction implements Labelled {
    CREATED("Created"),
    UPDATED("Updated"),
    DELETED("Deleted");

    private final String label;

    ChangeAction(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
