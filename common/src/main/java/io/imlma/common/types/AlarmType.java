package io.imlma.common.types;

public enum AlarmType {
    LATENCY,
    STABILITY,
    VARIANCE,
    DRIFT,
    DATA_QUALITY,
    INTEGRITY
}
