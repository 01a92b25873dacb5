package io.imlma.common.types;

/**
 * The distribution of one input feature of one meter in the champion's training data, against which the
 * streaming drift monitor tests recent values. The retraining job publishes one per meter and feature with each
 * new champion.
 *
 * @param feature      feature name as the drift monitor knows it (e.g. {@code standardized})
 * @param sortedSample a sample of the feature's training values, sorted ascending (a few hundred suffice)
 * @param modelName    model whose training data it describes
 * @param modelVersion version of that model
 * @param createdAt    when it was computed, epoch ms
 */
public record DriftReference(
        String meterId,
        String feature,
        double[] sortedSample,
        String modelName,
        int modelVersion,
        long createdAt) {}
