package io.imlma.registry;

/** Whether an alarm episode still lasts: {@link #RESOLVED} once its clear was recorded. */
public enum AlarmStatus {
    ACTIVE,
    RESOLVED
}
