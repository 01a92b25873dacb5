package io.imlma.jobs.retrain;

import java.util.Map;

/**
 * What one trial measured on the validation part, with the model it trained (JSON, {@code ModelCodec}), so the
 * best trial's model is kept rather than trained again.
 *
 * @param loss the tuner's loss (validation MAE or MSE); NaN when training diverged
 */
public record TrialResult(
        int trialNo,
        int round,
        Map<String, Double> parameters,
        double loss,
        double validationMse,
        double validationMae,
        long durationMs,
        long seed,
        byte[] model) {}
