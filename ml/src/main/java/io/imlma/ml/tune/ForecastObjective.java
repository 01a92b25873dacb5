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
        TrialOutcome.requireLoss(lossMetric);
    }

    @Override
    public TrialOutcome evaluate(Hyperparameters parameters, long seed) {
        Model model = factory.create(parameters, seed).fit(train, validation);
        return TrialOutcome.of(Metrics.of(model, validation), lossMetric);
    }
}
