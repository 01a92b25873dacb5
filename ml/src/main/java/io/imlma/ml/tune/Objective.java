package io.imlma.ml.tune;

import io.imlma.ml.model.Hyperparameters;

/** Trains and validates one choice of hyperparameters. Must be safe to call from several threads or tasks. */
@FunctionalInterface
public interface Objective {
    TrialOutcome evaluate(Hyperparameters parameters, long seed);
}
