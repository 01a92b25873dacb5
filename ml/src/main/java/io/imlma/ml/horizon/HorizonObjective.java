package io.imlma.ml.horizon;

import io.imlma.ml.eval.Metric;
import io.imlma.ml.model.Hyperparameters;
import io.imlma.ml.tune.Objective;
import io.imlma.ml.tune.TrialOutcome;

/** One tuning trial: fit on the training windows, score on the validation windows; the loss is one error metric. */
public record HorizonObjective(HorizonEstimatorFactory factory, Windows train, Windows validation, Metric lossMetric)
        implements Objective {

    public HorizonObjective {
        TrialOutcome.requireLoss(lossMetric);
    }

    @Override
    public TrialOutcome evaluate(Hyperparameters parameters, long seed) {
        HorizonModel model = factory.create(parameters, seed).fit(train, validation);
        return TrialOutcome.of(HorizonEvaluation.of(model, validation), lossMetric);
    }
}
