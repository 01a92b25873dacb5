package io.imlma.ml.horizon;

import io.imlma.ml.model.Hyperparameters;
import io.imlma.ml.tune.SearchSpace;

/** A family of multi-horizon estimators: what can be tuned, the defaults, and an estimator for one choice. */
public interface HorizonEstimatorFactory {
    String name();

    SearchSpace searchSpace();

    Hyperparameters defaults();

    /** Missing hyperparameters take their defaults; the same parameters, seed and windows give the same model. */
    HorizonEstimator create(Hyperparameters hyperparameters, long seed);
}
