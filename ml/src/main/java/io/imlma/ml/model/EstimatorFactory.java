package io.imlma.ml.model;

import io.imlma.ml.tune.SearchSpace;

/** A family of estimators: what can be tuned, the defaults, and an estimator for one choice of hyperparameters. */
public interface EstimatorFactory {
    String name();

    SearchSpace searchSpace();

    Hyperparameters defaults();

    /** Missing hyperparameters take their defaults; the same parameters and seed give the same model. */
    Estimator create(Hyperparameters hyperparameters, long seed);
}
