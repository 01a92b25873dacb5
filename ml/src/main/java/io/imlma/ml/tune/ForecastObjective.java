package io.imlma.ml.tune;

import io.imlma.ml.data.Dataset;
import io.imlma.ml.eval.Metric;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.model.EstimatorFactory;
import io.imlma.ml.model.Hyperparameters;
import io.imlma.ml.model.Model;

/** Fits an estimator on the training part and scores it on the validation part; the loss is one metric of that. */
public record ForecastObjective(EstimatorFactory factory, Dataset train, Dataset validation, Metric lossMetric)
        implements Objective {

    public ForecastObjective {
        if (lossMetric.higherIsBetter()) {
            throw new IllegalArgumentException("the loss must be an error metric (MSE or MAE), not " + lossMetric);
        }
    }

    @Override
    public TrialOutcome evaluate(Hyperparameters parameters, long seed) {
        Model model = factory.create(parameters, seed).fit(train, validation);
        Metrics metrics = Metrics.of(model, validation);
        return new TrialOutcome(metrics.get(lossMetric), metrics.mse(), metrics.mae());
    }
}
