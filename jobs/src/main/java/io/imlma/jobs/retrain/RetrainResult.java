package io.imlma.jobs.retrain;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.imlma.common.json.Json;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.ModelUpdate;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.eval.ReplacementRule;
import io.imlma.ml.tune.TrialRecord;
import java.util.List;
import java.util.Map;

/**
 * What one retraining run did. Metrics are on the same pooled test rows for the candidate, the champion and the
 * naive baselines. A rerun of a request whose earlier attempt had decided already reports that decision from the
 * registry: then the candidate's and the champion's metrics are the stored ones (with the stored test row count, 0
 * when not recorded; the champion null when it was not measured on those rows), the baselines are null and the lists
 * are empty.
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

    /** Names of {@link #summary()} entries. */
    public static final String MODEL = "model";
    public static final String VERSION = "version";
    public static final String PROMOTED = "promoted";
    public static final String ARTIFACT_PATH = "artifactPath";
    public static final String ARTIFACT_SHA256 = "artifactSha256";
    public static final String PUBLISHED_AT = "publishedAt";
    public static final String TEST_MAE = "testMae";
    public static final String REASONS = "reasons";
    /** The run's integrity alarms as a JSON array; absent when it raised none. */
    public static final String ALARMS = "alarms";

    /** The outcome in a few named strings, as a launcher reports it; a promotion carries its model update. */
    public Map<String, String> summary() {
        Map<String, String> summary = new java.util.LinkedHashMap<>();
        summary.put(MODEL, modelName);
        summary.put(VERSION, Integer.toString(version));
        summary.put(PROMOTED, Boolean.toString(promoted));
        summary.put(TEST_MAE, Double.toString(candidate.mae()));
        summary.put(REASONS, String.join("; ", reasons));
        if (!alarms.isEmpty()) {
            try {
                summary.put(ALARMS, Json.MAPPER.writeValueAsString(alarms));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the alarms of " + requestId, e);
            }
        }
        if (modelUpdate != null) {
            summary.put(ARTIFACT_PATH, modelUpdate.artifactPath());
            summary.put(ARTIFACT_SHA256, modelUpdate.sha256());
            summary.put(PUBLISHED_AT, Long.toString(modelUpdate.publishedAt()));
        }
        return summary;
    }

    /**
     * The integrity alarms in a {@link #summary()} (snapshot or model files restored from their backups): the loop
     * relays them, as the run has recorded them in the registry already.
     */
    public static List<Alarm> alarmsIn(Map<String, String> summary) {
        String alarms = summary.get(ALARMS);
        if (alarms == null) {
            return List.of();
        }
        try {
            return List.of(Json.MAPPER.readValue(alarms, Alarm[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable alarms in a retrain summary: " + alarms, e);
        }
    }

    /** The model update in a {@link #summary()}, when the run promoted a new champion. */
    public static java.util.Optional<ModelUpdate> modelUpdateIn(Map<String, String> summary) {
        if (!Boolean.parseBoolean(summary.get(PROMOTED)) || !summary.containsKey(ARTIFACT_PATH)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new ModelUpdate(summary.get(MODEL), Integer.parseInt(summary.get(VERSION)),
                summary.get(ARTIFACT_PATH), summary.get(ARTIFACT_SHA256), Long.parseLong(summary.get(PUBLISHED_AT))));
    }
}
