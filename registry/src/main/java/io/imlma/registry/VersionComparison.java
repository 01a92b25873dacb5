package io.imlma.registry;

/** Two versions of one model side by side; {@code delta} is the change from {@code a} to {@code b}. */
public record VersionComparison(ModelVersion a, ModelVersion b, MetricDeltas delta) {}
