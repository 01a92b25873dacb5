package io.imlma.common.types;

/** Why a retraining was requested. */
public enum RetrainReason {
    /** Data added since the last training exceeds θ·D0. */
    VOLUME,
    /** The training schedule is due. */
    SCHEDULE,
    /** An operator asked for it (POST /train). */
    MANUAL,
    /** Input drift against the champion's training data. */
    DRIFT
}
