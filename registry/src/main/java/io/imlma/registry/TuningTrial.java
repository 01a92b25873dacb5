package io.imlma.registry;

import java.util.Map;

/**
 * One hyperparameter trial of a training run, as the tuner evaluated it on the validation split.
 *
 * @param trialNo    1-based order of the trial within its run
 * @param tuner      e.g. {@code bayesian}, {@code random}, {@code grid}
 * @param durationMs wall-clock time of the trial
 */
public record TuningTrial(
        String modelName,
        String trainingRun,
        int trialNo,
        String tuner,
        Map<String, Object> parameters,
        double validationMse,
        double validationMae,
        long durationMs,
        long seed) {

    public TuningTrial {
        NewVersion.requireText(modelName, "modelName");
        NewVersion.requireText(trainingRun, "trainingRun");
        NewVersion.requireText(tuner, "tuner");
        if (!Double.isFinite(validationMse) || !Double.isFinite(validationMae)) {
            throw new IllegalArgumentException(
                    "validation metrics must be finite, got mse=" + validationMse + " mae=" + validationMae);
        }
        parameters = parameters == null ? Map.of() : parameters;
    }
}
