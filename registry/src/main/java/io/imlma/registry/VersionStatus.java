package io.imlma.registry;

/** Lifecycle of a model version. Exactly one version per model is the champion once any has been promoted. */
public enum VersionStatus {
    /** Registered, not (yet) serving. */
    CANDIDATE,
    /** Serving. */
    CHAMPION,
    /** Served before, or retired by an operator; can be rolled back to. */
    ARCHIVED,
    /** Failed the replacement policy or was rejected by an operator. */
    REJECTED
}
