package io.imlma.jobs.retrain;

import io.imlma.ml.model.Hyperparameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One hyperparameter point to train and validate, as a Flink record. Parameters are two parallel arrays rather
 * than a map, so Flink serializes the record with its own serializers instead of falling back to Kryo.
 *
 * @param trialNo         1-based order of the trial within its training run
 * @param round           0-based tuning round that proposed it
 * @param parameterNames  hyperparameter names
 * @param parameterValues their values, in the same order
 * @param seed            training seed (the same for every trial of a run, so trials differ only in parameters)
 */
public record TrialTask(int trialNo, int round, String[] parameterNames, double[] parameterValues, long seed) {

    public static TrialTask of(int trialNo, int round, Hyperparameters parameters, long seed) {
        Map<String, Double> values = parameters.values();
        return new TrialTask(trialNo, round, values.keySet().toArray(String[]::new),
                values.values().stream().mapToDouble(Double::doubleValue).toArray(), seed);
    }

    public Hyperparameters parameters() {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < parameterNames.length; i++) {
            values.put(parameterNames[i], parameterValues[i]);
        }
        return Hyperparameters.of(values);
    }
}
