package io.imlma.api;

import io.imlma.ml.eval.Metrics;
import io.imlma.ml.eval.ReplacementDecision;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.TestRows;
import java.time.Instant;

/**
 * Evaluates a registered model version on the stored data of an event-time range (POST /evaluate), next to the
 * champion and the naive baselines; {@link SnapshotEvaluator} reads the committed snapshots. An
 * {@link IllegalArgumentException} means the range cannot be evaluated (e.g. no data in it) and is reported to the
 * caller as such.
 */
@FunctionalInterface
public interface Evaluator {
    /** @param against another version to score on the same rows, or null */
    Result evaluate(ModelVersion version, ModelVersion against, Instant from, Instant to) throws Exception;

    /**
     * Scores on the same rows: the evaluated version's test rows of the range.
     *
     * @param testRows        which rows every metric here was computed on
     * @param metrics         the evaluated version's
     * @param championVersion the champion compared with, or null when the model has none
     * @param champion        the champion's, or null
     * @param againstVersion  the other version asked for, or null
     * @param against         its metrics, or null
     * @param lastValue       forecast = the last interval's value, over the whole horizon
     * @param seasonalValue   forecast = the same interval a day earlier; null when the model reads less than a day
     * @param decision        whether the replacement policy would let the version replace the champion
     */
    record Result(TestRows testRows, Metrics metrics, Integer championVersion, Metrics champion,
            Integer againstVersion, Metrics against, Metrics lastValue, Metrics seasonalValue,
            ReplacementDecision decision) {}
}
