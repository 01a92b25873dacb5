package io.imlma.common.types;

/**
 * The preprocessed output of one meter for one 15-minute interval.
 *
 * @param mean         raw mean of the interval (the running mean when imputed)
 * @param count        readings in the interval; 0 when imputed
 * @param standardized online z-score of {@code mean} against the meter's statistics so far
 * @param imputed      no reading arrived for the interval; values are the meter's running mean
 * @param warmUp       too few intervals seen yet for the z-score to be trusted
 * @param maxIngestTime latest ingestion time of the readings behind this row (0 when imputed)
 */
public record FeatureRow(
        String meterId,
        long windowStart,
        long windowEnd,
        double mean,
        double min,
        double max,
        long count,
        double standardized,
        boolean imputed,
        boolean warmUp,
        long maxIngestTime) {}
