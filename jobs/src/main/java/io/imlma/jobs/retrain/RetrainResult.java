package io.imlma.jobs.retrain;

import io.imlma.common.types.Alarm;
import io.imlma.common.types.ModelUpdate;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.eval.ReplacementRule;
import io.imlma.ml.tune.TrialRecord;
import java.util.List;
import java.util.Map;

/**
 * What one retraining run did. Metrics are on the same pooled test rows for the candidate, the champion and the
 * naive baselines.
 *
 * @param version          the registered version of the candidate
 * @param promoted         the candidate replaced the champion (or became the first one); otherwise it was rejected
 * @param reasons          the replacement decision's reasons, in order
 * @param championVersion  the champion it was compared with, or null when there was none (or it was unusable)
 * @param champion         the champion's test metrics, or null
 * @param lastValue        naive baseline: the previous interval's value
 * @param seasonalValue    naive baseline: the value one season (a day) earlier
 * @param modelUpdate      the event published for a new champion, or null when none was promoted
 * @param alarms           integrity alarms raised (and recorded) during the run
 */
public record RetrainResult(
        String requestId,
        String modelName,
        int version,
        boolean promoted,
        ReplacementRule rule,
        List<String> reasons,
        Integer championVersion,
        Metrics candidate,
        Metrics champion,
        Metrics lastValue,
        Metrics seasonalValue,
        String trainer,
        Map<String, Double> hyperparameters,
        List<TrialRecord> trials,
        boolean stoppedEarly,
        List<String> meters,
        List<String> skippedMeters,
        String artifactPath,
        String artifactSha256,
        ModelUpdate modelUpdate,
        List<Alarm> alarms,
        long durationMs) {

    public RetrainResult {
        reasons = List.copyOf(reasons);
        trials = List.copyOf(trials);
        meters = List.copyOf(meters);
        skippedMeters = List.copyOf(skippedMeters);
        alarms = List.copyOf(alarms);
        hyperparameters = Map.copyOf(hyperparameters);
    }
}
