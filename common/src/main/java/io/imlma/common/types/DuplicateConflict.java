package io.imlma.common.types;

/** Same meter and timestamp seen again with a different value; which value was kept depends on the policy. */
public record DuplicateConflict(String meterId, long timestamp, double keptValue, double rejectedValue) {}
