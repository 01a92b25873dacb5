package io.imlma.ml.eval;

import io.imlma.ml.data.Dataset;
import io.imlma.ml.model.Model;

/**
 * The candidate, the champion (if any) and the naive baselines scored on the same test rows, and the decision.
 *
 * @param champion      null when there is no champion
 * @param lastValue     forecast = the previous interval's value
 * @param seasonalValue forecast = the value one season (a day) earlier
 */
public record Evaluation(
        Metrics candidate, Metrics champion, Metrics lastValue, Metrics seasonalValue, ReplacementDecision decision) {

    /** @param champion the current champion, or null */
    public static Evaluation of(Model candidate, Model champion, Dataset test, ReplacementPolicy policy) {
        Metrics candidateMetrics = Metrics.of(candidate, test);
        Metrics championMetrics = champion == null ? null : Metrics.of(champion, test);
        return new Evaluation(
                candidateMetrics,
                championMetrics,
                Metrics.of(test.targets(), test.lastValues()),
                Metrics.of(test.targets(), test.seasonalValues()),
                policy.decide(candidateMetrics, championMetrics));
    }
}
