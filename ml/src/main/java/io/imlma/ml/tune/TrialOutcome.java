package io.imlma.ml.tune;

import io.imlma.ml.eval.Metric;
import io.imlma.ml.eval.Metrics;

/** What one trial measured: the loss the tuner minimizes and the validation errors it is reported with. */
public record TrialOutcome(double loss, double validationMse, double validationMae) {

    /** The outcome of validation {@code metrics} with {@code lossMetric} as the loss. */
    public static TrialOutcome of(Metrics metrics, Metric lossMetric) {
        return new TrialOutcome(metrics.get(lossMetric), metrics.mse(), metrics.mae());
    }

    /** @throws IllegalArgumentException unless {@code lossMetric} is an error metric, which a tuner can minimize */
    public static Metric requireLoss(Metric lossMetric) {
        if (lossMetric.higherIsBetter()) {
            throw new IllegalArgumentException("the loss must be an error metric (MSE or MAE), not " + lossMetric);
        }
        return lossMetric;
    }
}
