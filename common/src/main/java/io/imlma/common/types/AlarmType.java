package io.imlma.common.types;

public enum AlarmType {
    LATENCY,
    STABILITY,
    VARIANCE,
    DRIFT,
    DATA_QUALITY,
    INTEGRITY,
    /** The loop does not train although data arrives, or a snapshot partition is not sealed in time. */
    LOOP_STALL
}
