package io.imlma.jobs.retrain;

/**
 * What one trial measured on the validation part, with the model it trained (JSON, {@code HorizonModelCodec}), so the
 * best trial's model is kept rather than trained again.
 *
 * @param task the trial that was run
 * @param loss the tuner's loss (validation MAE or MSE); NaN when training diverged
 */
public record TrialResult(
        TrialTask task,
        double loss,
        double validationMse,
        double validationMae,
        long durationMs,
        byte[] model) {}
